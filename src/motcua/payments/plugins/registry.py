"""The registry of payment gateway plugins.

Each provider is a small package under `payments/plugins/contrib/<provider>/` whose `plugin.py`
registers itself here; `PAYMENT_GATEWAYS` says which ones this installation offers.
"""

from django.conf import settings

from motcua.core.errors import ValidationFailed
from motcua.core.plugins import PluginRegistry

from .base import BasePlugin


class Registry(PluginRegistry[BasePlugin]):
    def __init__(self) -> None:
        super().__init__("payment plugin")

    def enabled(self) -> list[BasePlugin]:
        return [self[i] for i in settings.PAYMENT_GATEWAYS if i in self]

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
