"""What the dossiers app needs from a population registry (the national population database,
CSDLQG về dân cư, or a local stand-in): one resident by ID number, with the household they
belong to.

The contract lives here, on the side that uses it; the implementations are plugins of
`integrations` (integrations/plugins/population/), which fills `population_registry` in its
`AppConfig.ready()` with the configured one, every lookup recorded.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TypedDict

from motcua.core.errors import DomainError
from motcua.core.ports import Port

SEXES = ("Nam", "Nữ")


class HouseholdMember(TypedDict):
    """Another member of the resident's household; `relationship` is what they are to the
    resident looked up ("Vợ", "Chồng", "Con", "Cha", "Mẹ" …), in Vietnamese."""

    id_number: str
    full_name: str
    relationship: str
    date_of_birth: date | None


@dataclass(frozen=True)
class Resident:
    id_number: str
    full_name: str
    date_of_birth: date | None
    sex: str  # "Nam" or "Nữ"
    ethnicity: str = ""
    nationality: str = "Việt Nam"
    permanent_address: str = ""
    current_address: str = ""
    household: list[HouseholdMember] = field(default_factory=list)


# The attributes a form field may be bound to with `x-registry` (dossiers/prefill.py).
ATTRIBUTES = (
    "id_number",
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "permanent_address",
    "current_address",
)


class RegistryUnavailable(DomainError):
    """The registry did not answer (timeout, network, an error on its side): the caller
    goes on without registry data, the citizen types it."""

    status = 503
    code = "registry_unavailable"
    message = "Chưa kết nối được Cơ sở dữ liệu quốc gia về dân cư. Vui lòng nhập thông tin."


class PopulationRegistry(Protocol):
    identifier: str

    def lookup(self, id_number: str) -> Resident | None:
        """The resident with this 12-digit ID number, None when the registry has none.
        Raises RegistryUnavailable when the registry cannot answer now."""
        ...


# population_registry().lookup(id_number, *, user=None, purpose="") -> Resident | None
population_registry = Port("population registry")
