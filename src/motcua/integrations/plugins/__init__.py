"""The pluggable parts of integrations: SMS senders and population registries, each a
kind with `base.py`, `registry.py` and `contrib/<name>/plugin.py` (docs/architecture.md)."""
