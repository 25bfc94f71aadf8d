"""Payment gateways as plugins behind a registry (style.md, item 6)."""
