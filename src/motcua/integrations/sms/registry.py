"""The registry of SMS senders; `SMS_SENDER` names the one this installation uses."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import BaseSmsSender


class Registry:
    def __init__(self) -> None:
        self._senders: dict[str, BaseSmsSender] = {}

    def __call__(self, identifier: str):
        """Class decorator: `@register("log") class LoggingSmsSender(BaseSmsSender): ...`."""

        def decorator(cls: type[BaseSmsSender]) -> type[BaseSmsSender]:
            if identifier in self._senders:
                raise ValueError(f"SMS sender {identifier!r} is already registered")
            sender = cls()
            sender.identifier = identifier
            self._senders[identifier] = sender
            return cls

        return decorator

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._senders

    def __getitem__(self, identifier: str) -> BaseSmsSender:
        return self._senders[identifier]

    def active(self) -> BaseSmsSender:
        name = settings.SMS_SENDER
        if name not in self._senders:
            known = ", ".join(sorted(self._senders))
            raise ImproperlyConfigured(f"SMS_SENDER={name!r} is not one of: {known}")
        return self._senders[name]


register = Registry()
