"""The local population registry: a table of residents in our own database (the demo
residents of `seed_demo`), for development, the demo and tests. Needs no network."""

from ...base import Resident
from ...registry import register


@register("local")
class LocalRegistry:
    identifier = "local"

    def lookup(self, id_number: str) -> Resident | None:
        from motcua.integrations.models import LocalResident

        row = LocalResident.objects.filter(id_number=id_number).first()
        return row.as_resident() if row else None
