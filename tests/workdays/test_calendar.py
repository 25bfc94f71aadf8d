from datetime import date

import pytest

from motcua.workdays.calendar import (
    is_working_day,
    next_working_day,
    statutory_holidays,
    working_days_between,
)
from motcua.workdays.models import HolidayOverride

pytestmark = pytest.mark.django_db


def test_weekdays_work_and_weekends_rest():
    assert is_working_day(date(2026, 3, 9))  # Monday
    assert is_working_day(date(2026, 3, 13))  # Friday
    assert not is_working_day(date(2026, 3, 14))  # Saturday
    assert not is_working_day(date(2026, 3, 15))  # Sunday


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # Tết Dương lịch
        *(date(2026, 2, d) for d in range(16, 21)),  # Tết Bính Ngọ, Mon to Fri
        date(2026, 4, 27),  # Giỗ Tổ on a Sunday: compensatory Monday
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),  # day off given in exchange for Saturday 22/08/2026
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2025, 1, 27),  # Tết Ất Tỵ
        date(2025, 5, 2),  # day off given in exchange for Saturday 26/04/2025
    ],
)
def test_statutory_and_compensatory_days_off(day):
    assert day.weekday() < 5
    assert not is_working_day(day)


def test_announced_working_saturdays_come_from_the_override_table():
    # Both are Saturdays the holidays package does not know are worked.
    assert date(2025, 4, 26) not in statutory_holidays(2025)
    assert is_working_day(date(2025, 4, 26))
    assert is_working_day(date(2026, 8, 22))
    decision = HolidayOverride.objects.get(date=date(2025, 4, 26)).decision
    assert "8726/VPCP-KGVX" in decision


def test_saving_an_override_applies_at_once():
    day = date(2026, 3, 10)
    assert is_working_day(day)  # fills the cache
    override = HolidayOverride.objects.create(
        date=day, kind=HolidayOverride.Kind.DAY_OFF, name="Nghỉ bù"
    )
    assert not is_working_day(day)
    override.delete()
    assert is_working_day(day)


def test_working_day_override_wins_over_a_statutory_holiday():
    HolidayOverride.objects.create(
        date=date(2026, 5, 1), kind=HolidayOverride.Kind.WORKING_DAY, name="Làm bù"
    )
    assert is_working_day(date(2026, 5, 1))


def test_next_working_day_skips_tet_and_weekends():
    assert next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert next_working_day(date(2026, 3, 13)) == date(2026, 3, 16)


def test_working_days_between_counts_half_open_range():
    assert working_days_between(date(2026, 2, 9), date(2026, 2, 23)) == 5
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
