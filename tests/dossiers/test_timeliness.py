"""Timeliness verdicts (domain.md) with a frozen clock across a weekend and Tết 2026
(holidays Monday 16 to Friday 20 February 2026)."""

from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import perform
from motcua.dossiers.timeliness import dossier_timeliness, step_visits, verdict

from .factories import local, submit, upload, world

pytestmark = pytest.mark.django_db

ONE_DAY = {"value": 1, "unit": "working_days", "cutoff": None, "text": "1 ngày làm việc"}
BEFORE_TET = local(2026, 2, 13, 16, 0)  # Friday before Tết
DUE_AFTER_TET = local(2026, 2, 23, 16, 0)  # 1 h on Friday + 7 h on Monday 23rd


@pytest.fixture
def tet(db):
    return world(processing_time=ONE_DAY)


def test_due_time_skips_the_weekend_and_tet(tet):
    assert submit(tet, BEFORE_TET).due_at == DUE_AFTER_TET


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (local(2026, 2, 13, 16, 30), "early"),  # a local date before the due date
        (local(2026, 2, 23, 8, 0), "on_time"),  # the due date itself
        (DUE_AFTER_TET, "on_time"),  # exactly at the due time
        (local(2026, 2, 23, 16, 1), "overdue"),
        (local(2026, 2, 24, 9, 0), "overdue"),
    ],
)
def test_finished_dossier_verdicts_across_tet(tet, end, expected):
    d = submit(tet, BEFORE_TET)
    d = perform(d.code, "refuse", tet.reception, now=end, reason="Không đủ điều kiện")
    assert d.timeliness == expected


def test_one_supplement_request_is_not_overdue_two_are():
    due = DUE_AFTER_TET
    end = local(2026, 2, 23, 9)
    assert verdict(due, end=end, supplements=1) == "on_time"
    assert verdict(due, end=end, supplements=2) == "overdue"


def test_unfinished_dossier_is_overdue_once_now_passes_due_at(tet):
    d = submit(tet, BEFORE_TET)
    with mock.patch.object(timezone, "now", return_value=local(2026, 2, 23, 15, 59)):
        assert dossier_timeliness(d, timezone.now()) == "in_time"
        assert services.mark_deadlines() == {"overdue": 0, "due_soon": 1}
    with mock.patch.object(timezone, "now", return_value=local(2026, 2, 23, 16, 1)):
        assert dossier_timeliness(d, timezone.now()) == "overdue"
        assert services.mark_deadlines() == {"overdue": 1, "due_soon": 0}
    d.refresh_from_db()
    assert (d.timeliness, d.due_soon) == ("overdue", False)


def test_due_soon_is_within_one_working_day_not_one_calendar_day(tet):
    d = submit(tet, BEFORE_TET)
    # Friday 12th 17:00 is one working day (8 h) before Monday 23rd 16:00 across Tết.
    services.mark_deadlines(now=local(2026, 2, 12, 16, 59))
    d.refresh_from_db()
    assert not d.due_soon
    services.mark_deadlines(now=local(2026, 2, 13, 17, 0))
    d.refresh_from_db()
    assert d.due_soon


def test_a_paused_dossier_is_not_overdue_while_waiting_for_the_applicant(tet):
    d = submit(tet, BEFORE_TET)
    d = perform(
        d.code, "request_supplement", tet.reception, now=local(2026, 2, 13, 16, 30), missing=["X"]
    )
    later = local(2026, 2, 27, 9)
    assert dossier_timeliness(d, later) == "in_time"
    assert services.mark_deadlines(now=later) == {"overdue": 0, "due_soon": 0}
    # Paused Friday 16:30 -> Monday 23rd 10:00: 0.5 h + 2 h of working time.
    d = perform(d.code, "supplement", tet.citizen, now=local(2026, 2, 23, 10, 0))
    assert d.paused_hours == Decimal("2.5")
    assert d.due_at == local(2026, 2, 24, 9, 30)


def test_step_budgets_and_verdicts(db):
    w = world()
    mon = local(2026, 11, 16, 9)
    d = submit(w, mon)
    d = perform(d.code, "receive", w.reception, now=mon.replace(hour=10))
    d = perform(d.code, "forward", w.reception, now=mon.replace(hour=13))  # 2 h of 2: on time
    d = perform(d.code, "transfer", w.specialist, now=mon.replace(hour=14))  # 1 h of 8: early
    d = perform(d.code, "transfer", w.partner_specialist, now=local(2026, 11, 17, 10))
    d = perform(
        d.code,
        "finish",
        w.leader,
        now=local(2026, 11, 18, 9),
        result_file_id=str(upload(w.leader).pk),
    )
    visits = step_visits(d, list(d.events.select_related("to_step")), now=local(2026, 11, 18, 9))
    assert [(v.step.name, v.verdict) for v in visits] == [
        ("Tiếp nhận hồ sơ", "on_time"),
        ("Thẩm định", "early"),
        # Partner: Mon 14:00 -> Tue 10:00 is 5 working hours against a budget of 4.
        ("Xác nhận của Sở", "overdue"),
        # Leader: Tue 10:00 -> Wed 09:00 is 7 h of 4.
        ("Ký duyệt", "overdue"),
    ]
    assert [v.used_hours for v in visits] == [2, 1, 5, 7]
    assert visits[2].agency == w.partner
    assert visits[2].due_at == local(2026, 11, 17, 9)


def test_step_visit_excludes_the_supplement_pause(db):
    w = world()
    mon = local(2026, 11, 16, 9)
    d = submit(w, mon)
    d = perform(d.code, "receive", w.reception, now=mon)
    d = perform(d.code, "request_supplement", w.reception, now=mon.replace(hour=10), missing=["X"])
    d = perform(d.code, "supplement", w.citizen, now=local(2026, 11, 17, 10))
    d = perform(d.code, "forward", w.reception, now=local(2026, 11, 17, 11))
    first = step_visits(d, list(d.events.select_related("to_step")), local(2026, 11, 17, 11))[0]
    assert first.paused_hours == 8
    assert first.used_hours == 2
    assert first.verdict == "on_time"
    assert Dossier.objects.get(pk=d.pk).due_at == local(2026, 11, 20, 9)
