"""Due-time arithmetic (docs/domain.md, "Working time and deadlines"). The only place in the
project that adds working time to an instant or measures working time between two.

The arithmetic runs in Asia/Ho_Chi_Minh local time (no daylight saving there, so local wall
time is a straight line) on integer microseconds, so that Decimal amounts add up exactly.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

from motcua.core.errors import ValidationFailed
from motcua.workdays.calendar import is_working_day, next_working_day, working_day_on_or_after

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_OFFICE_HOURS = (("08:00", "12:00"), ("13:00", "17:00"))
UNITS = ("working_days", "working_hours", "in_day")
# The years the lunar holidays are known for; outside them a due time would silently ignore
# Tết, so such instants are refused rather than answered wrongly.
FIRST_YEAR, LAST_YEAR = 2000, 2099
# About ten years of working time: far beyond any procedure, small enough to walk quickly.
MAX_WORKING_HOURS = Decimal(20_000)

_US_PER_MINUTE = 60_000_000
_US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 24 * _US_PER_HOUR
_HOURS_QUANTUM = Decimal("0.000001")

Periods = tuple[tuple[int, int], ...]  # (start, end) in microseconds after local midnight


# ---------------------------------------------------------------------------- input checks


def _parse_clock(text: object, field: str) -> int:
    """'HH:MM' -> minutes after midnight; '24:00' is allowed as the end of a day."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        raise _invalid(field, "Giờ phải có dạng HH:MM.")
    hh, mm = text[:2], text[3:]
    if not (hh.isdigit() and mm.isdigit()):
        raise _invalid(field, "Giờ phải có dạng HH:MM.")
    hours, minutes = int(hh), int(mm)
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise _invalid(field, "Giờ không hợp lệ.")
    return hours * 60 + minutes


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


@lru_cache(maxsize=256)
def _periods_from(key: tuple) -> Periods:
    periods = []
    for period in key:
        if not isinstance(period, tuple) or len(period) != 2:
            raise _invalid(
                "office_hours", "Mỗi khoảng giờ làm việc gồm giờ bắt đầu và giờ kết thúc."
            )
        start, end = (_parse_clock(p, "office_hours") for p in period)
        if start >= end:
            raise _invalid("office_hours", "Giờ bắt đầu phải trước giờ kết thúc.")
        periods.append((start * _US_PER_MINUTE, end * _US_PER_MINUTE))
    if not periods:
        raise _invalid("office_hours", "Cần ít nhất một khoảng giờ làm việc.")
    periods.sort()
    for (_, end), (next_start, _) in zip(periods, periods[1:], strict=False):
        if next_start < end:
            raise _invalid("office_hours", "Các khoảng giờ làm việc không được chồng lên nhau.")
    return tuple(periods)


def parse_office_hours(office_hours) -> Periods:
    """Validate `[["08:00", "12:00"], ["13:00", "17:00"]]` (None = the default hours)."""
    if office_hours is None:
        office_hours = DEFAULT_OFFICE_HOURS
    if not isinstance(office_hours, list | tuple):
        raise _invalid("office_hours", "Giờ làm việc phải là danh sách các khoảng giờ.")
    key = tuple(tuple(p) if isinstance(p, list | tuple) else p for p in office_hours)
    try:
        return _periods_from(key)
    except TypeError:  # unhashable content (dicts...) in a period
        raise _invalid("office_hours", "Giờ làm việc không hợp lệ.") from None


def office_day_hours(office_hours=None) -> Decimal:
    """Length of the office day: one working day of processing time."""
    periods = parse_office_hours(office_hours)
    return Decimal(sum(end - start for start, end in periods)) / _US_PER_HOUR


def _amount(value, field: str) -> Decimal:
    if isinstance(value, bool):
        raise _invalid(field, "Giá trị phải là một số.")
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise _invalid(field, "Giá trị phải là một số.") from None
    if not amount.is_finite():
        raise _invalid(field, "Giá trị phải là một số hữu hạn.")
    if amount < 0:
        raise _invalid(field, "Giá trị không được âm.")
    return amount


def _local(moment: datetime, field: str = "start") -> datetime:
    if not isinstance(moment, datetime):
        raise _invalid(field, "Cần một thời điểm (ngày và giờ).")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _invalid(field, "Thời điểm phải kèm múi giờ.")
    try:
        local = moment.astimezone(LOCAL_TZ)
    except OverflowError:
        local = None
    if local is None or not FIRST_YEAR <= local.year <= LAST_YEAR:
        raise _invalid(field, f"Thời điểm phải trong các năm {FIRST_YEAR}–{LAST_YEAR}.")
    return local


def _cutoff_us(cutoff) -> int | None:
    if cutoff is None or cutoff == "":
        return None
    if isinstance(cutoff, str):
        return _parse_clock(cutoff, "cutoff") * _US_PER_MINUTE
    if isinstance(cutoff, time):
        return (
            (cutoff.hour * 60 + cutoff.minute) * _US_PER_MINUTE
            + cutoff.second * 1_000_000
            + cutoff.microsecond
        )
    raise _invalid("cutoff", "Giờ chốt phải có dạng HH:MM.")


# ------------------------------------------------------------------------- local positions


def _split(local: datetime) -> tuple[date, int]:
    us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
    return local.date(), us


def _join(day: date, us: int) -> datetime:
    # us may be _US_PER_DAY (an office period ending at 24:00): timedelta rolls it over.
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ) + timedelta(microseconds=us)


def _to_us(hours: Decimal) -> int:
    return int((hours * _US_PER_HOUR).to_integral_value())


# -------------------------------------------------------------------------------- the API


def add_working_time(start: datetime, hours, office_hours=None) -> datetime:
    """The earliest instant at which `hours` of working time have passed since `start`.

    A start outside office hours first moves to the next period start. The result is always
    inside an office period of a working day or at its end (17:00, never the next 08:00).
    """
    periods = parse_office_hours(office_hours)
    amount = _amount(hours, "value")
    if amount > MAX_WORKING_HOURS:
        raise _invalid("value", "Thời gian xử lý quá lớn.")
    remaining = _to_us(amount)
    day_length = sum(end - start_ for start_, end in periods)
    day, at = _split(_local(start))
    while True:
        if at == 0 and remaining > day_length and is_working_day(day):
            remaining -= day_length  # a whole office day: no need to walk its periods
        elif is_working_day(day):
            for p_start, p_end in periods:
                if at > p_end or (at == p_end and remaining):
                    continue
                at = max(at, p_start)
                if remaining <= p_end - at:
                    return _join(day, at + remaining)
                remaining -= p_end - at
                at = p_end
        day, at = next_working_day(day), 0


def working_hours_between(start: datetime, end: datetime, office_hours=None) -> Decimal:
    """Working time elapsed from `start` to `end`, in hours (0 when `end` is not later)."""
    periods = parse_office_hours(office_hours)
    first_day, first_at = _split(_local(start, "start"))
    last_day, last_at = _split(_local(end, "end"))
    if (last_day, last_at) <= (first_day, first_at):
        return Decimal(0).quantize(_HOURS_QUANTUM)
    total = 0
    day = working_day_on_or_after(first_day)
    while day <= last_day:
        low = first_at if day == first_day else 0
        high = last_at if day == last_day else _US_PER_DAY
        for p_start, p_end in periods:
            total += max(0, min(p_end, high) - max(p_start, low))
        day = next_working_day(day)
    return (Decimal(total) / _US_PER_HOUR).quantize(_HOURS_QUANTUM)


def compute_due_at(
    start: datetime, value, unit: str, office_hours=None, cutoff: time | str | None = None
) -> datetime:
    """The due time (ngày hẹn trả) of a dossier received at `start`.

    `unit`: "working_days" (value x the office-day length), "working_hours", or "in_day"
    (end of office hours of the receipt day; of the next working day when received after
    `cutoff` or outside the working day; `value` is not used).
    """
    if unit not in UNITS:
        raise _invalid("unit", "Đơn vị phải là working_days, working_hours hoặc in_day.")
    amount = _amount(value, "value")
    if unit == "working_hours":
        return add_working_time(start, amount, office_hours)
    if unit == "working_days":
        return add_working_time(start, amount * office_day_hours(office_hours), office_hours)
    closing = parse_office_hours(office_hours)[-1][1]
    limit = _cutoff_us(cutoff)
    day, at = _split(_local(start))
    # The office day includes its closing instant, as in add_working_time.
    late = at > closing or (limit is not None and at > limit)
    if late or not is_working_day(day):
        day = next_working_day(day)
    return _join(day, closing)
