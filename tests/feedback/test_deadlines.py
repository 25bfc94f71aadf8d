"""Deadline verdicts with a frozen clock: weekends and Tết skipped, a transfer restarting
the clock, the wait for information not counted, and the periodic marks."""

import pytest

from motcua.feedback.models import Feedback, Verdict
from motcua.feedback.services import mark_deadlines
from motcua.feedback.services.deadlines import verdict_of

from . import factories as ff
from .factories import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    return ff.world()


def due(fb, kind, round_=None):
    rows = fb.deadlines.filter(kind=kind)
    row = rows.filter(round=round_).get() if round_ else rows.order_by("-round").first()
    return row


def test_verdict_of():
    at = local(2026, 3, 2, 9)
    later = local(2026, 3, 2, 10)
    assert verdict_of(at, at, later) == Verdict.ON_TIME
    assert verdict_of(at, later, later) == Verdict.OVERDUE
    assert verdict_of(later, None, at) == Verdict.PENDING
    assert verdict_of(at, None, later) == Verdict.OVERDUE


def test_deadlines_skip_the_weekend_and_tet(w):
    # Thursday before Tết Bính Ngọ: Fri 13/2 works, 14–22/2 are the weekend and Tết.
    fb = ff.submit(w, local(2026, 2, 12, 9))
    assert due(fb, "refuse").due_at == local(2026, 2, 23, 9)
    assert due(fb, "ask_info").due_at == local(2026, 2, 26, 9)
    assert due(fb, "answer").due_at == local(2026, 3, 12, 9)
    assert fb.due_at == local(2026, 2, 23, 9)


@pytest.mark.parametrize(
    ("accepted_at", "verdict"),
    [(local(2026, 2, 23, 9), "on_time"), (local(2026, 2, 23, 9, 1), "overdue")],
)
def test_the_decision_verdict_across_tet(w, accepted_at, verdict):
    fb = ff.submit(w, local(2026, 2, 12, 9))
    ff.act(w, fb, "accept", accepted_at)
    row = due(fb, "refuse")
    assert (row.verdict, row.met_at) == (verdict, accepted_at)


def test_the_information_wait_does_not_count(w):
    fb = ff.submit(w, local(2026, 3, 2, 9))  # Monday
    fb = ff.act(w, fb, "accept", local(2026, 3, 2, 9))
    assert due(fb, "answer").due_at == local(2026, 3, 23, 9)
    # Asked on Friday at 16:00, supplied on Monday at 10:00: 3 working hours of waiting.
    fb = ff.act(w, fb, "ask_info", local(2026, 3, 6, 16))
    assert due(fb, "ask_info").verdict == "on_time"
    assert fb.paused_at == local(2026, 3, 6, 16)
    fb = ff.act(w, fb, "supply_info", local(2026, 3, 9, 10))
    assert fb.paused_at is None and fb.paused_hours == 3
    assert due(fb, "answer").due_at == local(2026, 3, 23, 12)
    fb = ff.act(w, fb, "answer", local(2026, 3, 23, 11, 30))
    assert due(fb, "answer").verdict == "on_time"
    assert due(fb, "publish").due_at == local(2026, 3, 25, 11, 30)


def test_answer_late_is_overdue_and_no_request_for_information_is_void(w):
    fb = ff.act(w, ff.submit(w, local(2026, 3, 2, 9)), "accept", local(2026, 3, 2, 9))
    fb = ff.act(w, fb, "answer", local(2026, 3, 23, 9, 30))
    assert due(fb, "answer").verdict == "overdue"
    assert due(fb, "ask_info").verdict == "void"
    assert due(fb, "refuse").verdict == "on_time"


def test_a_transfer_restarts_the_clock(w):
    fb = ff.submit(w, local(2026, 3, 2, 9))
    fb = ff.act(w, fb, "transfer", local(2026, 3, 4, 9))
    first = {row.kind: row.verdict for row in fb.deadlines.filter(round=1)}
    assert first == {"refuse": "on_time", "ask_info": "void", "answer": "void"}
    assert due(fb, "refuse", 2).due_at == local(2026, 3, 6, 9)
    assert due(fb, "answer", 2).due_at == local(2026, 3, 25, 9)
    assert fb.clock_started_at == local(2026, 3, 4, 9)
    fb = ff.act(w, fb, "accept", local(2026, 3, 6, 9))
    fb = ff.act(w, fb, "answer", local(2026, 3, 25, 9))  # late for the first agency's clock
    assert due(fb, "answer", 2).verdict == "on_time"


def test_a_reopening_gives_a_new_answer_deadline(w):
    fb = ff.act(w, ff.submit(w, local(2026, 3, 2, 9)), "accept", local(2026, 3, 2, 9))
    fb = ff.act(w, fb, "answer", local(2026, 3, 3, 9))
    fb = ff.act(w, fb, "reopen", local(2026, 3, 4, 9))
    assert due(fb, "publish", 1).verdict == "void"
    assert due(fb, "answer", 2).due_at == local(2026, 3, 25, 9)


def test_the_periodic_task_marks_due_soon_and_overdue(w):
    fb = ff.submit(w, local(2026, 3, 2, 9))  # decision due Wed 4/3 09:00
    waiting = ff.bring_to(w, "awaiting_info", local(2026, 3, 2, 9))
    assert mark_deadlines(local(2026, 3, 2, 10))["due_soon"] == 0
    assert mark_deadlines(local(2026, 3, 3, 10))["due_soon"] == 1
    fb.refresh_from_db()
    assert (fb.due_soon, fb.overdue) == (True, False)
    assert due(fb, "refuse").due_soon
    counts = mark_deadlines(local(2026, 3, 4, 9, 1))
    assert counts["overdue"] == 1
    fb.refresh_from_db()
    assert (fb.due_soon, fb.overdue) == (False, True)
    assert due(fb, "refuse").verdict == "overdue"
    # Met late, it stays overdue; the one waiting for the citizen was not marked.
    ff.act(w, fb, "accept", local(2026, 3, 4, 10))
    assert due(fb, "refuse").verdict == "overdue"
    assert not Feedback.objects.get(pk=waiting.pk).overdue


def test_the_periodic_task_reschedules_itself(w, settings):
    from motcua.feedback import tasks

    result = tasks.mark_feedback_deadlines_task.call()
    assert set(result) == {"overdue", "due_soon"}


def test_the_figures_of_indicators_6_1_and_6_2(w):
    from motcua.feedback.queries import handling_figures

    at = local(2026, 3, 2, 9)
    on_time = ff.act(w, ff.act(w, ff.submit(w, at), "accept", at), "answer", at)
    ff.act(w, on_time, "react", at, like=True)
    late = ff.act(w, ff.submit(w, at), "accept", local(2026, 3, 5, 9))  # decided late
    ff.act(w, late, "answer", local(2026, 3, 5, 10))
    disliked = ff.act(w, ff.act(w, ff.submit(w, at), "accept", at), "answer", at)
    ff.act(w, disliked, "react", at, like=False)
    ff.submit(w, at)  # not handled yet
    assert handling_figures() == {"received": 4, "on_time": 2, "satisfied": 2}


def test_due_soon_is_cleared_once_the_deadline_moves_away(w):
    fb = ff.act(w, ff.submit(w, local(2026, 3, 2, 9)), "accept", local(2026, 3, 2, 9))
    fb = ff.act(w, fb, "ask_info", local(2026, 3, 2, 10))
    fb = ff.act(w, fb, "supply_info", local(2026, 3, 20, 10))  # 14 working days of waiting
    mark_deadlines(local(2026, 3, 20, 11))
    fb.refresh_from_db()
    assert not fb.due_soon and not fb.overdue
    assert due(fb, "answer").due_at == local(2026, 4, 10, 9)
    mark_deadlines(local(2026, 4, 9, 10))
    fb.refresh_from_db()
    assert fb.due_soon
    ff.act(w, fb, "answer", local(2026, 4, 9, 11))
    mark_deadlines(local(2026, 4, 9, 12))
    fb.refresh_from_db()
    assert not fb.due_soon
