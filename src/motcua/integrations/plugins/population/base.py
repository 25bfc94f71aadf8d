"""The contract every population-registry plugin implements: it is the dossiers app's own
(dossiers/residents.py), re-exported here for the plugins."""

from motcua.dossiers.residents import (
    ATTRIBUTES,
    SEXES,
    HouseholdMember,
    PopulationRegistry,
    RegistryUnavailable,
    Resident,
)

__all__ = [
    "ATTRIBUTES",
    "SEXES",
    "HouseholdMember",
    "PopulationRegistry",
    "RegistryUnavailable",
    "Resident",
]
