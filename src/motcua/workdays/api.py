"""GET /api/v1/workdays/due: the due time the dossiers would get, for integrators and pages.

An agency's office hours come from the app that keeps agencies (the catalog), which provides
them through the port `agency_office_hours` in its `AppConfig.ready()`: workdays imports no
app above it.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from motcua.core.api.errors import ErrorOut
from motcua.core.ports import Port
from motcua.workdays.deadlines import LOCAL_TZ, compute_due_at

router = Router(tags=["workdays"])

# Agency code -> its office hours (Http404 for an unknown code), provided by the catalog.
agency_office_hours: Port[Callable[[str], list]] = Port("agencies' office hours")


class DueQuery(Schema):
    agency: str | None = Field(
        None,
        description="Agency code; its office hours are used (default 08:00-12:00, 13:00-17:00).",
    )
    start: datetime | None = Field(
        None,
        description="Receipt instant, ISO 8601; without an offset it is Hà Nội time. Default: now.",
    )
    value: Decimal = Field(
        Decimal(1), ge=0, description='Processing time in the unit (not used for "in_day").'
    )
    unit: Literal["working_days", "working_hours", "in_day"] = "working_days"
    cutoff: str | None = Field(
        None, pattern=r"^\d{2}:\d{2}$", description='Cut-off for "in_day", HH:MM (e.g. 15:00).'
    )


class DueOut(Schema):
    due_at: datetime = Field(description="Due time, ISO 8601 with the +07:00 offset.")


@router.get(
    "/due",
    response={200: DueOut, 404: ErrorOut, 422: ErrorOut},
    summary="Due time of a dossier received at `start`",
    description="The arithmetic the dossiers use: a start outside office hours moves to the "
    "next office period; one working day is the agency's office-day length; the due time may "
    "be the end of an office period, never the next start. Unknown agency: 404 `not_found`; "
    "bad parameters: 422 `validation_error` naming the fields.",
)
def due(request, params: Query[DueQuery]):
    office_hours = None
    if params.agency:
        office_hours = agency_office_hours(params.agency)
    start = params.start or timezone.now()
    if timezone.is_naive(start):
        start = start.replace(tzinfo=LOCAL_TZ)
    due_at = compute_due_at(start, params.value, params.unit, office_hours, params.cutoff)
    return {"due_at": due_at}
