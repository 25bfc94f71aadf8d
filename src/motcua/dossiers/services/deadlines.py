"""The deadline sweep: which running dossiers are overdue or due within a working day."""

from datetime import datetime

from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.workdays.deadlines import add_working_time, office_day_hours

from .. import queries
from ..models import Dossier, Timeliness


def mark_deadlines(now: datetime | None = None) -> dict[str, int]:
    """Flag running dossiers that became overdue and those due within one working day of
    their agency. A cached flag only: no status changes, so no event."""
    now = now or timezone.now()
    running = Dossier.objects.filter(queries.running())
    overdue = (
        Dossier.objects.filter(queries.running_late(now))
        .exclude(timeliness=Timeliness.OVERDUE, due_soon=False)
        .update(timeliness=Timeliness.OVERDUE, due_soon=False)
    )
    due_soon = 0
    for agency in Agency.objects.filter(
        pk__in=running.filter(due_at__gte=now).values("agency_id").distinct()
    ):
        horizon = add_working_time(now, office_day_hours(agency.office_hours), agency.office_hours)
        mine = running.filter(agency=agency, due_at__gte=now)
        due_soon += mine.filter(due_at__lte=horizon, due_soon=False).update(due_soon=True)
        mine.filter(due_at__gt=horizon, due_soon=True).update(due_soon=False)
    return {"overdue": overdue, "due_soon": due_soon}
