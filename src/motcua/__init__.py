"""motcua: public service portal, electronic one-stop shop and service index."""
