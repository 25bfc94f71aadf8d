"""Every example of domain.md, "Working time and deadlines", plus holidays and overrides."""

from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from motcua.core.errors import ValidationFailed
from motcua.workdays.deadlines import (
    LOCAL_TZ,
    add_working_time,
    compute_due_at,
    office_day_hours,
    working_hours_between,
)
from motcua.workdays.models import HolidayOverride
from tests.workdays.clock import local

pytestmark = pytest.mark.django_db

# A week with no holiday: Monday 09/03/2026 to Sunday 15/03/2026.
MON, TUE, THU, FRI, SAT = 9, 10, 12, 13, 14


def due(start, value, unit="working_days", **kwargs):
    return compute_due_at(start, value, unit, **kwargs)


# ------------------------------------------------------------------- domain.md examples


def test_monday_0900_plus_3_working_days_is_thursday_0900():
    assert due(local(2026, 3, MON, 9), 3) == local(2026, 3, THU, 9)


def test_friday_1600_plus_1_working_day_is_monday_1600():
    assert due(local(2026, 3, FRI, 16), 1) == local(2026, 3, 16, 16)


def test_monday_1830_plus_1_working_day_is_tuesday_1700_not_wednesday_0800():
    assert due(local(2026, 3, MON, 18, 30), 1) == local(2026, 3, TUE, 17)


def test_saturday_plus_half_a_working_day_is_monday_1200():
    assert due(local(2026, 3, SAT, 10), Decimal("0.5")) == local(2026, 3, 16, 12)


def test_in_day_before_the_cutoff_is_due_at_the_close_of_the_same_day():
    assert due(local(2026, 3, MON, 14, 59), 1, "in_day", cutoff=time(15)) == local(2026, 3, MON, 17)
    # 15:00 itself is not after the cut-off.
    assert due(local(2026, 3, MON, 15), 1, "in_day", cutoff=time(15)) == local(2026, 3, MON, 17)


def test_in_day_after_the_cutoff_is_due_at_the_close_of_the_next_working_day():
    assert due(local(2026, 3, MON, 15, 1), 1, "in_day", cutoff=time(15)) == local(2026, 3, TUE, 17)
    assert due(local(2026, 3, FRI, 15, 30), 1, "in_day", cutoff="15:00") == local(2026, 3, 16, 17)


def test_in_day_outside_the_working_day():
    assert due(local(2026, 3, MON, 7), 1, "in_day") == local(2026, 3, MON, 17)
    assert due(local(2026, 3, MON, 17), 1, "in_day") == local(2026, 3, MON, 17)
    assert due(local(2026, 3, MON, 17, 30), 1, "in_day") == local(2026, 3, TUE, 17)
    assert due(local(2026, 3, SAT, 9), 1, "in_day", cutoff=time(15)) == local(2026, 3, 16, 17)


# ------------------------------------------------------------- holidays and overrides


def test_across_tet_2026():
    # Friday 13/02/2026, then Tết from Monday 16 to Friday 20 and a weekend.
    assert due(local(2026, 2, 13, 9), 1) == local(2026, 2, 23, 9)
    assert due(local(2026, 2, 12, 10), 3) == local(2026, 2, 24, 10)
    assert due(local(2026, 2, 13, 16), 1, "in_day", cutoff=time(15)) == local(2026, 2, 23, 17)


def test_across_a_compensatory_day_off():
    # Giỗ Tổ 26/04/2026 is a Sunday: Monday 27/04 is the compensatory day off.
    assert due(local(2026, 4, 24, 10), 1) == local(2026, 4, 28, 10)
    # 30/04 and 01/05 are Thursday and Friday.
    assert due(local(2026, 4, 29, 14), 2) == local(2026, 5, 5, 14)


def test_across_an_announced_working_saturday():
    # Saturday 22/08/2026 is worked in exchange for Monday 31/08/2026.
    assert due(local(2026, 8, 21, 9), 1) == local(2026, 8, 22, 9)
    assert due(local(2026, 8, 21, 16), Decimal("0.5")) == local(2026, 8, 22, 11)
    assert due(local(2026, 8, 28, 9), 1) == local(2026, 9, 3, 9)


def test_a_working_saturday_added_by_an_operator_counts_at_once():
    start = local(2026, 3, FRI, 9)
    assert due(start, 1) == local(2026, 3, 16, 9)
    HolidayOverride.objects.create(
        date=local(2026, 3, SAT).date(), kind=HolidayOverride.Kind.WORKING_DAY, name="Làm bù"
    )
    assert due(start, 1) == local(2026, 3, SAT, 9)


def test_an_extra_day_off_added_by_an_operator_counts_at_once():
    HolidayOverride.objects.create(
        date=local(2026, 3, TUE).date(), kind=HolidayOverride.Kind.DAY_OFF, name="Nghỉ bù"
    )
    assert due(local(2026, 3, MON, 9), 1) == local(2026, 3, 11, 9)


# ---------------------------------------------------------------- hours and office hours


def test_working_hours_skip_the_lunch_break():
    assert due(local(2026, 3, MON, 11), 2, "working_hours") == local(2026, 3, MON, 14)
    assert add_working_time(local(2026, 3, MON, 11), Decimal(1)) == local(2026, 3, MON, 12)


def test_the_due_time_can_be_the_end_of_a_period_never_the_next_start():
    assert due(local(2026, 3, MON, 8), 1) == local(2026, 3, MON, 17)
    assert due(local(2026, 3, MON, 8), 4, "working_hours") == local(2026, 3, MON, 12)


def test_zero_time_from_outside_hours_is_the_next_period_start():
    assert due(local(2026, 3, MON, 12, 30), 0, "working_hours") == local(2026, 3, MON, 13)
    assert due(local(2026, 3, FRI, 17, 30), 0) == local(2026, 3, 16, 8)


def test_agency_office_hours_set_the_day_length():
    hours = [["07:30", "11:30"], ["13:30", "17:00"]]
    assert office_day_hours(hours) == Decimal("7.5")
    assert due(local(2026, 3, MON, 9), 1, office_hours=hours) == local(2026, 3, TUE, 9)
    assert due(local(2026, 3, MON, 12), 1, "in_day", office_hours=hours) == local(2026, 3, MON, 17)
    # Periods may be given in any order.
    assert due(local(2026, 3, MON, 9), 1, office_hours=list(reversed(hours))) == local(
        2026, 3, TUE, 9
    )


def test_any_time_zone_in_local_time_out():
    start = datetime(2026, 3, MON, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    result = due(start, 3)
    assert result == local(2026, 3, THU, 9)
    assert result.tzinfo == LOCAL_TZ
    assert result.isoformat() == "2026-03-12T09:00:00+07:00"


def test_decimal_and_float_amounts():
    assert due(local(2026, 3, MON, 8), Decimal("0.25")) == local(2026, 3, MON, 10)
    assert due(local(2026, 3, MON, 8), 0.1, "working_hours") == local(2026, 3, MON, 8, 6)


def test_working_hours_between():
    start = local(2026, 3, MON, 11)
    assert working_hours_between(start, local(2026, 3, MON, 14)) == Decimal(2)
    assert working_hours_between(local(2026, 3, FRI, 16), local(2026, 3, 16, 9)) == Decimal(2)
    assert working_hours_between(local(2026, 2, 13, 8), local(2026, 2, 23, 8)) == Decimal(8)
    assert working_hours_between(start, start) == 0
    assert working_hours_between(start, local(2026, 3, MON, 10)) == 0
    assert working_hours_between(local(2026, 3, SAT, 9), local(2026, 3, 15, 18)) == 0


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"value": -1}, "value"),
        ({"value": "abc"}, "value"),
        ({"value": float("nan")}, "value"),
        ({"value": Decimal("Infinity")}, "value"),
        ({"value": True}, "value"),
        ({"value": 100_000}, "value"),
        ({"value": 3000}, "value"),
        ({"start": local(2150, 1, 1, 9)}, "start"),
        ({"start": datetime(1, 1, 1, tzinfo=UTC)}, "start"),
        ({"start": "2026-03-09T09:00"}, "start"),
        ({"unit": "calendar_days"}, "unit"),
        ({"office_hours": []}, "office_hours"),
        ({"office_hours": "08:00-17:00"}, "office_hours"),
        ({"office_hours": [["08:00"]]}, "office_hours"),
        ({"office_hours": [["8:00", "12:00"]]}, "office_hours"),
        ({"office_hours": [["08:00", "25:00"]]}, "office_hours"),
        ({"office_hours": [["08:60", "12:00"]]}, "office_hours"),
        ({"office_hours": [["12:00", "08:00"]]}, "office_hours"),
        ({"office_hours": [["08:00", "12:00"], ["11:00", "17:00"]]}, "office_hours"),
        ({"office_hours": [[{"a": 1}, "12:00"]]}, "office_hours"),
        ({"unit": "in_day", "cutoff": "3pm"}, "cutoff"),
        ({"unit": "in_day", "cutoff": 15}, "cutoff"),
    ],
)
def test_bad_input_is_a_validation_error_naming_the_field(kwargs, field):
    args = {"start": local(2026, 3, MON, 9), "value": 1, "unit": "working_days", **kwargs}
    with pytest.raises(ValidationFailed) as excinfo:
        compute_due_at(**args)
    assert field in excinfo.value.fields


def test_a_naive_start_is_refused():
    with pytest.raises(ValidationFailed) as excinfo:
        compute_due_at(datetime(2026, 3, MON, 9), 1, "working_days")
    assert "start" in excinfo.value.fields
