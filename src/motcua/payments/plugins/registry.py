"""The registry of payment gateway plugins.

Each provider is a small package under `payments/contrib/<provider>/` whose `plugin.py`
registers itself here; `PAYMENT_GATEWAYS` says which ones this installation offers.
"""

from collections.abc import Iterator

from django.conf import settings

from motcua.core.errors import ValidationFailed

from .base import BasePlugin


class Registry:
    def __init__(self) -> None:
        self._plugins: dict[str, BasePlugin] = {}

    def __call__(self, identifier: str):
        """Class decorator: `@register("demo") class DemoPlugin(BasePlugin): ...`."""

        def decorator(cls: type[BasePlugin]) -> type[BasePlugin]:
            if identifier in self._plugins:
                raise ValueError(f"payment plugin {identifier!r} is already registered")
            plugin = cls()
            plugin.identifier = identifier
            self._plugins[identifier] = plugin
            return cls

        return decorator

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._plugins

    def __iter__(self) -> Iterator[BasePlugin]:
        return iter(self._plugins.values())

    def __getitem__(self, identifier: str) -> BasePlugin:
        return self._plugins[identifier]

    def get(self, identifier: str, default: BasePlugin | None = None) -> BasePlugin | None:
        return self._plugins.get(identifier, default)

    def enabled(self) -> list[BasePlugin]:
        return [self._plugins[i] for i in settings.PAYMENT_GATEWAYS if i in self._plugins]

    def get_enabled(self, identifier: str | None = None) -> BasePlugin:
        """The named gateway, or the first enabled one; ValidationFailed if not offered."""
        enabled = {plugin.identifier: plugin for plugin in self.enabled()}
        if identifier is None and enabled:
            return next(iter(enabled.values()))
        if identifier in enabled:
            return enabled[identifier]
        raise ValidationFailed(
            "Cổng thanh toán không được hỗ trợ.",
            fields={"gateway": [f"Chọn một trong: {', '.join(enabled) or '(không có)'}."]},
        )


register = Registry()
