"""The population registry adapter (issue 4, pre-fill): `get_registry().lookup(id_number)`.

Implementations are plugins under `contrib/` (`local`: a table of residents, for
development and the demo; `http`: a real registry over HTTPS), chosen by
`POPULATION_REGISTRY`. Every lookup is recorded (who looked up which ID number, when, why,
and what came of it) in `RegistryLookup`, never in the logs: a resident's data is personal.
"""

from django.utils import timezone

from motcua.core import ids

from .base import ATTRIBUTES, HouseholdMember, PopulationRegistry, RegistryUnavailable, Resident
from .registry import register

__all__ = [
    "ATTRIBUTES",
    "HouseholdMember",
    "PopulationRegistry",
    "RegistryUnavailable",
    "Resident",
    "get_registry",
    "register",
]


class AuditedRegistry:
    """The configured implementation, recording each lookup."""

    def __init__(self, plugin: PopulationRegistry) -> None:
        self.plugin = plugin

    @property
    def identifier(self) -> str:
        return self.plugin.identifier

    def lookup(self, id_number: str, *, user=None, purpose: str = "") -> Resident | None:
        """The resident, None when unknown (or not an ID number at all), RegistryUnavailable
        when the registry cannot answer now. `user` and `purpose` go to the lookup record."""
        id_number = (id_number or "").strip()
        if not ids.is_id_number(id_number):
            return None
        try:
            resident = self.plugin.lookup(id_number)
        except RegistryUnavailable:
            _record(id_number, user, purpose, "unavailable")
            raise
        _record(id_number, user, purpose, "found" if resident else "not_found")
        return resident


def _record(id_number: str, user, purpose: str, outcome: str) -> None:
    from motcua.integrations.models import RegistryLookup

    RegistryLookup.objects.create(
        id_number=id_number,
        user=user if user is not None and user.is_authenticated else None,
        purpose=(purpose or "")[:200],
        outcome=outcome,
        at=timezone.now(),
    )


def get_registry() -> AuditedRegistry:
    """The implementation `POPULATION_REGISTRY` names (ImproperlyConfigured if unknown)."""
    return AuditedRegistry(register.selected("POPULATION_REGISTRY"))
