"""Reads behind the public pages that the catalog's own queries do not already give."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from motcua.catalog.models import Agency, Procedure, Sector
from motcua.catalog.queries import active_agencies, published_procedures

_PUBLISHED = Q(procedures__status=Procedure.Status.PUBLISHED)


def sectors_with_procedures() -> QuerySet[Sector]:
    """Sectors that have at least one published procedure, with how many (`procedure_count`)."""
    return (
        Sector.objects.annotate(procedure_count=Count("procedures", filter=_PUBLISHED))
        .filter(procedure_count__gt=0)
        .order_by("name")
    )


def implementing_agencies() -> QuerySet[Agency]:
    """Active agencies that implement at least one published procedure (the list's filter)."""
    return (
        active_agencies()
        .annotate(procedure_count=Count("procedures", filter=_PUBLISHED))
        .filter(procedure_count__gt=0)
        .order_by("name")
    )


def procedures_of(agency: Agency) -> QuerySet[Procedure]:
    """Published procedures the agency implements, by name (diacritic-insensitive)."""
    return (
        published_procedures()
        .filter(agencies=agency)
        .prefetch_related("fees")
        .order_by("search_text", "code")
    )


_LEVEL_RANK = Case(
    *(
        When(level=level, then=Value(rank))
        for rank, level in enumerate(
            [Agency.Level.MINISTRY, Agency.Level.PROVINCE, Agency.Level.DEPARTMENT]
        )
    ),
    default=Value(3),
    output_field=IntegerField(),
)


def agencies_by_level(level: str | None = None) -> QuerySet[Agency]:
    """Active agencies from the top down: ministries, the province, departments, communes."""
    return active_agencies(level).order_by(_LEVEL_RANK, "name", "code")
