"""The citizen's pages after submission: confirmation, my dossiers, one dossier, notifications,
the public status lookup."""
