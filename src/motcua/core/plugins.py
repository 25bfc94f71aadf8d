"""Integrations as small plugins behind a registry (docs/architecture.md, "Plugins"; Open Forms'
`plugins/registry.py`): each implementation registers itself under an identifier, and a
setting names the one (or the ones) an installation uses. Payment gateways, SMS senders and
the population registry each keep one `PluginRegistry`."""

from collections.abc import Iterator
from typing import Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

P = TypeVar("P")


class PluginRegistry(Generic[P]):
    """Identifier → plugin instance. `kind` names the plugins in error messages."""

    def __init__(self, kind: str = "plugin") -> None:
        self.kind = kind
        self._plugins: dict[str, P] = {}

    def __call__(self, identifier: str):
        """Class decorator: `@register("demo") class DemoPlugin(BasePlugin): ...`."""

        def decorator(cls: type[P]) -> type[P]:
            if identifier in self._plugins:
                raise ValueError(f"{self.kind} {identifier!r} is already registered")
            plugin = cls()
            plugin.identifier = identifier
            self._plugins[identifier] = plugin
            return cls

        return decorator

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._plugins

    def __iter__(self) -> Iterator[P]:
        return iter(self._plugins.values())

    def __getitem__(self, identifier: str) -> P:
        return self._plugins[identifier]

    def get(self, identifier: str, default: P | None = None) -> P | None:
        return self._plugins.get(identifier, default)

    def selected(self, setting: str) -> P:
        """The plugin the setting `setting` names; ImproperlyConfigured if none is."""
        name = getattr(settings, setting)
        if name not in self._plugins:
            known = ", ".join(sorted(self._plugins))
            raise ImproperlyConfigured(f"{setting}={name!r} is not one of: {known}")
        return self._plugins[name]
