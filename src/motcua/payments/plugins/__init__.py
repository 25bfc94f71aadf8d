"""Payment gateways as plugins behind a registry (docs/architecture.md, "Plugins")."""
