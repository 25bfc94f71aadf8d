"""Timeliness verdicts (docs/domain.md, "Working time and deadlines"): of a dossier against its
`due_at`, and of each step visit against the step's budget (control slip, Mẫu 06).

Working-time arithmetic goes through `workdays.deadlines` only.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from motcua.workdays.deadlines import LOCAL_TZ, add_working_time, working_hours_between

from .models import ENDED, Status, Timeliness


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def verdict(
    due_at: datetime, *, end: datetime | None, now: datetime | None = None, supplements: int = 0
) -> str:
    """`end` is when the dossier (or step) ended; None while it runs (judged at `now`)."""
    if end is None:
        return Timeliness.OVERDUE if now > due_at else Timeliness.IN_TIME
    if end > due_at or supplements > 1:
        return Timeliness.OVERDUE
    if local_date(end) < local_date(due_at):
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def dossier_timeliness(dossier, now: datetime) -> str:
    if dossier.due_at is None:
        return Timeliness.IN_TIME
    if dossier.status in ENDED and dossier.finished_at is not None:
        return verdict(
            dossier.due_at, end=dossier.finished_at, supplements=dossier.supplement_requests
        )
    # While the applicant owes documents the clock stands still at the moment it stopped.
    return verdict(dossier.due_at, end=None, now=dossier.paused_at or now)


@dataclass
class StepVisit:
    """One stay of a dossier at one step, with its budget and verdict."""

    step: object  # catalog.Step
    agency: object  # catalog.Agency
    entered_at: datetime
    entered_by: str
    left_at: datetime | None = None
    left_by: str = ""
    paused_hours: Decimal = Decimal(0)
    used_hours: Decimal = Decimal(0)
    due_at: datetime | None = None
    verdict: str = Timeliness.IN_TIME


def step_visits(dossier, events, now: datetime) -> list[StepVisit]:
    """The step visits of a dossier from its events (oldest first), each judged against the
    step's budget. Supplement pauses inside a visit do not count against it."""
    visits: list[StepVisit] = []
    current: StepVisit | None = None
    pause_start: datetime | None = None

    def office_hours(visit):
        return visit.agency.office_hours

    def close(at: datetime, by: str) -> None:
        nonlocal current
        if current is not None:
            current.left_at, current.left_by = at, by
            current = None

    for event in events:
        if current is not None and pause_start is not None and event.action == "supplement":
            current.paused_hours += working_hours_between(
                pause_start, event.at, office_hours(current)
            )
        if event.to_status == Status.AWAITING_SUPPLEMENT:
            pause_start = event.at
        elif event.action == "supplement":
            pause_start = None
        if event.to_step_id != (current.step.pk if current else None) or event.to_status in ENDED:
            close(event.at, event.actor_name)
            if event.to_step_id and event.to_status not in ENDED:
                step = event.to_step
                current = StepVisit(
                    step=step,
                    agency=step.agency or dossier.agency,
                    entered_at=event.at,
                    entered_by=event.actor_name,
                )
                visits.append(current)
    if current is not None and pause_start is not None:
        current.paused_hours += working_hours_between(pause_start, now, office_hours(current))
    for visit in visits:
        hours = office_hours(visit)
        budget = Decimal(visit.step.budget_hours)
        visit.due_at = add_working_time(visit.entered_at, budget + visit.paused_hours, hours)
        end = visit.left_at or now
        visit.used_hours = max(
            Decimal(0), working_hours_between(visit.entered_at, end, hours) - visit.paused_hours
        )
        # Judged on working time used, so that handing over at 13:00 a step due at 12:00
        # (the lunch break in between) is not late.
        if visit.used_hours > budget:
            visit.verdict = Timeliness.OVERDUE
        elif visit.left_at is None:
            visit.verdict = Timeliness.IN_TIME
        elif local_date(visit.left_at) < local_date(visit.due_at):
            visit.verdict = Timeliness.EARLY
        else:
            visit.verdict = Timeliness.ON_TIME
    return visits
