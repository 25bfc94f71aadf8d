"""A feedback's deadlines (docs/domain.md, "Feedback and complaints"), in working days of the
handling agency, computed only through `motcua.workdays`:

- refuse: decide (accept or refuse) within 2 working days of receipt;
- ask_info: the first request for information within 5;
- answer: answered within 15;
- publish: published within 2 after the answer.

A round of deadlines starts at the receipt, at each transfer (the new agency's clock starts
again) and at a reopening (a new answer is due). The submitter's time waiting for information
does not count: the pending deadlines move on by the working time the wait took. Each
deadline gets its verdict when met (on time or overdue), when it passes unmet (overdue,
`mark_deadlines`) or when it stops applying (void).
"""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.workdays.deadlines import (
    add_working_time,
    compute_due_at,
    office_day_hours,
    working_hours_between,
)

from ..models import DeadlineKind, Feedback, FeedbackDeadline, Verdict
from ..models import FeedbackStatus as S

K = DeadlineKind
DAYS = {K.REFUSE: 2, K.ASK_INFO: 5, K.ANSWER: 15, K.PUBLISH: 2}
ROUND_KINDS = (K.REFUSE, K.ASK_INFO, K.ANSWER)
# Asking for information is optional: late when asked late, void when never asked, so it
# never becomes overdue unmet nor flags the feedback in the inbox.
OPTIONAL = (K.ASK_INFO,)
# Statuses whose deadlines run (not waiting for the submitter, not closed).
RUNNING = (S.RECEIVED, S.TRANSFERRED, S.PROCESSING, S.ANSWERED)


def verdict_of(due_at: datetime, met_at: datetime | None, now: datetime) -> str:
    """On time when met by the deadline, overdue when met later or passed unmet."""
    if met_at is not None:
        return Verdict.ON_TIME if met_at <= due_at else Verdict.OVERDUE
    return Verdict.OVERDUE if now > due_at else Verdict.PENDING


def due(fb: Feedback, start: datetime, kind: str) -> datetime:
    return compute_due_at(start, DAYS[kind], "working_days", fb.agency.office_hours)


def _pending(fb: Feedback, kinds=None):
    """Deadlines not met yet and still applying (pending, or passed and overdue)."""
    rows = fb.deadlines.filter(closed_at__isnull=True)
    return rows.filter(kind__in=kinds) if kinds else rows


def start_round(fb: Feedback, now: datetime, kinds=ROUND_KINDS) -> int:
    """Close what is still open of the earlier rounds (void, or overdue if it passed) and
    start the clock again at `now` with `kinds` due."""
    close(fb, now)
    number = max(fb.deadlines.values_list("round", flat=True), default=0) + 1
    FeedbackDeadline.objects.bulk_create(
        FeedbackDeadline(feedback=fb, kind=k, round=number, starts_at=now, due_at=due(fb, now, k))
        for k in kinds
    )
    return number


def add(fb: Feedback, kind: str, now: datetime) -> None:
    """A deadline of the current round that starts now (publish, after the answer)."""
    number = max(fb.deadlines.values_list("round", flat=True), default=1)
    FeedbackDeadline.objects.update_or_create(
        feedback=fb,
        kind=kind,
        round=number,
        defaults={
            "starts_at": now,
            "due_at": due(fb, now, kind),
            "met_at": None,
            "verdict": Verdict.PENDING,
            "due_soon": False,
        },
    )


def meet(fb: Feedback, kind: str, now: datetime) -> None:
    """The deadline of `kind` is met now: its verdict is final."""
    for row in _pending(fb, [kind]):
        row.met_at = row.closed_at = now
        row.due_soon = False
        row.verdict = verdict_of(row.due_at, now, now)
        row.save(update_fields=["met_at", "closed_at", "verdict", "due_soon"])


def void(fb: Feedback, kinds, now: datetime) -> None:
    """Deadlines that no longer apply (no information was asked; refused feedback is not
    answered). One already passed stays overdue, unless optional."""
    for row in _pending(fb, kinds):
        row.verdict = verdict_of(row.due_at, None, now)
        if row.verdict == Verdict.PENDING or row.kind in OPTIONAL:
            row.verdict = Verdict.VOID
        row.due_soon, row.closed_at = False, now
        row.save(update_fields=["verdict", "due_soon", "closed_at"])


def close(fb: Feedback, now: datetime) -> None:
    void(fb, None, now)


def pause(fb: Feedback, now: datetime) -> None:
    fb.paused_at = now


def resume(fb: Feedback, now: datetime) -> Decimal:
    """The wait for information ends: the pending deadlines move on by its working time."""
    if fb.paused_at is None:
        return Decimal(0)
    office_hours = fb.agency.office_hours
    hours = working_hours_between(fb.paused_at, now, office_hours)
    if hours > 0:
        for row in _pending(fb).filter(verdict=Verdict.PENDING):
            row.due_at = add_working_time(row.due_at, hours, office_hours)
            row.due_soon = False  # the periodic task looks again
            row.save(update_fields=["due_at", "due_soon"])
    fb.paused_hours = Decimal(fb.paused_hours) + hours
    fb.paused_at = None
    return hours


def refresh(fb: Feedback, now: datetime) -> None:
    """The feedback's cached deadline flags from its deadline rows."""
    pending = list(_pending(fb).exclude(kind__in=OPTIONAL))
    fb.due_at = min((row.due_at for row in pending), default=None)
    fb.overdue = any(row.verdict == Verdict.OVERDUE or now > row.due_at for row in pending)
    fb.due_soon = not fb.overdue and any(row.due_soon for row in pending)


def mark_deadlines(now: datetime | None = None) -> dict[str, int]:
    """Periodic: the unmet deadlines of running feedback that passed become overdue; those
    due within one working day of their agency are flagged. A cached verdict only: no status
    change, so no history entry."""
    now = now or timezone.now()
    running = FeedbackDeadline.objects.filter(
        verdict=Verdict.PENDING, closed_at__isnull=True, feedback__status__in=RUNNING
    ).exclude(kind__in=OPTIONAL)
    late = list(running.filter(due_at__lt=now).values_list("feedback_id", flat=True))
    overdue = running.filter(due_at__lt=now).update(verdict=Verdict.OVERDUE, due_soon=False)
    soon_ids = set()
    for agency in Agency.objects.filter(pk__in=running.values("feedback__agency_id").distinct()):
        horizon = add_working_time(now, office_day_hours(agency.office_hours), agency.office_hours)
        mine = running.filter(feedback__agency=agency, due_at__gte=now)
        soon_ids |= set(mine.filter(due_at__lte=horizon).values_list("feedback_id", flat=True))
        mine.filter(due_at__lte=horizon, due_soon=False).update(due_soon=True)
        mine.filter(due_at__gt=horizon, due_soon=True).update(due_soon=False)
    Feedback.objects.filter(pk__in=set(late)).update(overdue=True, due_soon=False)
    Feedback.objects.filter(pk__in=soon_ids, overdue=False).update(due_soon=True)
    Feedback.objects.filter(due_soon=True).exclude(pk__in=soon_ids).update(due_soon=False)
    return {"overdue": overdue, "due_soon": len(soon_ids)}
