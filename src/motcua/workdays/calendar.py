"""The working calendar: which dates are working days for a state agency.

A working day is Monday to Friday, minus the statutory holidays of the `holidays` package
(country VN, Labor Code 2019 Art. 112 and the observed/substituted days it knows), minus the
announced extra days off in `HolidayOverride`, plus the announced working Saturdays/Sundays.

Caching (the deadline arithmetic asks this question thousands of times per second):
- the statutory holidays of a year never change while a process runs: cached for good;
- the override table is read whole (a few rows a year) and kept for `OVERRIDES_TTL` seconds.
  Saving or deleting an override clears this process's copy at once (signals, see apps.py);
  other processes (gunicorn workers, the task worker) pick the change up within the TTL.
  We chose a short TTL over a version stamp in a shared cache because the project runs with
  Django's per-process default cache, and a stamp read from the database on every call would
  cost a query per computation. Overrides are announced weeks ahead of the day they change,
  so a minute of delay across processes never changes a real deadline.
"""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import gettext_lazy as _

# Weekday names as official Vietnamese documents write them (Django's own format mixes
# "Thứ 4" and "Thứ ba"); Monday first, as date.weekday() counts.
WEEKDAYS = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)

OVERRIDES_TTL = 60.0  # seconds; see the module docstring

_lock = threading.Lock()
_overrides: tuple[frozenset[date], frozenset[date]] | None = None  # (days off, working days)
_overrides_loaded_at = 0.0


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[date]:
    """The VN public holidays (with observed and substituted days off) of one year."""
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _load_overrides() -> tuple[frozenset[date], frozenset[date]]:
    from motcua.workdays.models import HolidayOverride

    days_off, working_days = set(), set()
    for day, kind in HolidayOverride.objects.values_list("date", "kind"):
        (working_days if kind == HolidayOverride.Kind.WORKING_DAY else days_off).add(day)
    return frozenset(days_off), frozenset(working_days)


def _current_overrides() -> tuple[frozenset[date], frozenset[date]]:
    global _overrides, _overrides_loaded_at
    overrides = _overrides
    if overrides is not None and time.monotonic() - _overrides_loaded_at < OVERRIDES_TTL:
        return overrides
    with _lock:
        overrides = _load_overrides()
        _overrides, _overrides_loaded_at = overrides, time.monotonic()
    return overrides


def clear_cache() -> None:
    """Forget the cached overrides (called when an override is saved or deleted)."""
    global _overrides
    with _lock:
        _overrides = None


def is_working_day(d: date) -> bool:
    days_off, working_days = _current_overrides()
    if d in working_days:
        return True
    if d.weekday() >= 5 or d in days_off:
        return False
    return d not in statutory_holidays(d.year)


def next_working_day(d: date) -> date:
    """The first working day strictly after `d`."""
    d += timedelta(days=1)
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def working_day_on_or_after(d: date) -> date:
    return d if is_working_day(d) else next_working_day(d)


def working_days_between(start: date, end: date) -> int:
    """Working days in the half-open range [start, end)."""
    count, d = 0, start
    while d < end:
        count += is_working_day(d)
        d += timedelta(days=1)
    return count
