"""The registry of SMS senders; `SMS_SENDER` names the one this installation uses."""

from motcua.core.plugins import PluginRegistry

from .base import BaseSmsSender


class Registry(PluginRegistry[BaseSmsSender]):
    def active(self) -> BaseSmsSender:
        return self.selected("SMS_SENDER")


register = Registry("SMS sender")
