"""Laws of the due-time arithmetic, checked on random starts over 2025-2027."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.workdays.calendar import is_working_day
from motcua.workdays.deadlines import (
    LOCAL_TZ,
    add_working_time,
    compute_due_at,
    parse_office_hours,
    working_hours_between,
)

pytestmark = pytest.mark.django_db

OFFICE_HOURS = [
    None,
    [["07:30", "11:30"], ["13:30", "17:00"]],
    [["07:00", "11:30"], ["13:00", "16:30"]],
    [["08:00", "17:00"]],
    [["00:00", "12:00"], ["13:00", "24:00"]],
]

starts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31, 23, 59)).map(
    lambda dt: dt.replace(second=0, microsecond=0, tzinfo=LOCAL_TZ)
)
hours = st.decimals(min_value=0, max_value=250, places=2)
days = st.decimals(min_value=0, max_value=30, places=2)
office_hours = st.sampled_from(OFFICE_HOURS)
fast = settings(max_examples=150, deadline=None)


def in_office(moment: datetime, hours_) -> bool:
    """Inside an office period of a working day, or exactly at its end."""
    local = moment.astimezone(LOCAL_TZ)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    us = (local - midnight) // timedelta(microseconds=1)
    periods = parse_office_hours(hours_)
    if is_working_day(local.date()) and any(start <= us <= end for start, end in periods):
        return True
    # A period ending at 24:00 ends at the next day's 00:00.
    day_end = 24 * 3_600_000_000
    return us == 0 and periods[-1][1] == day_end and is_working_day(local.date() - timedelta(1))


@fast
@given(starts, hours, hours, office_hours)
def test_monotonic_in_the_amount(start, a, b, hours_):
    low, high = sorted((a, b))
    assert add_working_time(start, low, hours_) <= add_working_time(start, high, hours_)


@fast
@given(starts, days, days)
def test_monotonic_in_working_days(start, a, b):
    low, high = sorted((a, b))
    assert compute_due_at(start, low, "working_days") <= compute_due_at(start, high, "working_days")


@fast
@given(starts, hours, hours, office_hours)
def test_adding_a_then_b_is_adding_a_plus_b(start, a, b, hours_):
    then = add_working_time(add_working_time(start, a, hours_), b, hours_)
    assert then == add_working_time(start, a + b, hours_)


@fast
@given(starts, days, st.sampled_from(["working_days", "working_hours", "in_day"]), office_hours)
def test_due_time_is_inside_or_at_the_end_of_office_hours(start, value, unit, hours_):
    result = compute_due_at(start, value, unit, hours_)
    assert result >= start
    assert in_office(result, hours_)


@fast
@given(starts, hours, office_hours)
def test_working_time_between_start_and_due_is_the_amount(start, amount, hours_):
    assert working_hours_between(start, add_working_time(start, amount, hours_), hours_) == amount


@fast
@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    st.sampled_from([time(8), time(9, 41), time(11, 59), time(13), time(16, 30)]),
    hours,
)
def test_from_a_start_inside_office_hours_the_amount_comes_back(day, clock, amount):
    assume(is_working_day(day))
    start = datetime.combine(day, clock, tzinfo=LOCAL_TZ)
    assert working_hours_between(start, add_working_time(start, amount)) == amount
