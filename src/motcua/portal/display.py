"""How catalog values read on the pages (labels for codes, money, office hours)."""

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold
from motcua.workdays.calendar import WEEKDAYS

CHANNELS = {
    "counter": _("Trực tiếp tại bộ phận một cửa"),
    "online": _("Trực tuyến"),
    "post": _("Qua dịch vụ bưu chính công ích"),
}
APPLICANT_KINDS = {"citizen": _("Công dân"), "organisation": _("Tổ chức, doanh nghiệp")}


def sector_name(sector) -> str:
    """The sector's English name on English pages when the catalog has one."""
    if get_language() == "en" and sector.name_en:
        return sector.name_en
    return sector.name


def moment(value) -> str:
    """A local date and time as on an appointment slip: "17:00, Thứ Tư 25/11/2026"
    (an aware time from the database is shown in local time first)."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%H:%M}, {WEEKDAYS[value.weekday()]} {value:%d/%m/%Y}"


def by_name(rows, name=lambda row: row.name) -> list:
    """Alphabetical order for Vietnamese names (Đ with D, Ủ with U), not code-point order."""
    return sorted(rows, key=lambda row: fold(name(row)))


def money(amount: int | None) -> str:
    """8000 -> "8.000 đồng" (Vietnamese grouping) or "VND 8,000" in English."""
    if amount is None:
        return ""
    if get_language() == "en":
        return f"VND {amount:,}"
    return f"{amount:,}".replace(",", ".") + " đồng"


def office_hours(periods) -> str:
    """[["08:00","12:00"],["13:00","17:00"]] -> "08:00–12:00, 13:00–17:00"."""
    return ", ".join(f"{start}–{end}" for start, end in periods or [])


def number(value) -> str:
    """Decimal 1.00 -> "1", 0.50 -> "0,5" (Vietnamese decimal comma) or "0.5"."""
    text = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    return text if get_language() == "en" else text.replace(".", ",")
