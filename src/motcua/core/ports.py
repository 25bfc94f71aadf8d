"""A port: a slot a lower app offers for something only an upper app can provide.

The layers point one way (docs/architecture.md, "Layers"): `dossiers` and `accounts` must not
import `integrations`, yet they need what it provides (the population registry, the SMS
gateway). The lower side names the port and the contract it expects; the upper app fills the
port in its `AppConfig.ready()`:

    population_registry.provide(get_registry)

and the lower side calls it like the function it stands for: `population_registry()`.
"""

from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

F = TypeVar("F", bound=Callable)


class Port(Generic[F]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._provider: F | None = None

    def provide(self, provider: F) -> None:
        self._provider = provider

    def __call__(self, *args, **kwargs):
        if self._provider is None:
            raise ImproperlyConfigured(f"nothing provides the {self.name} (is its app installed?)")
        return self._provider(*args, **kwargs)
