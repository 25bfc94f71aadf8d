"""The slips of the one-stop shop (Circular 03/2025/TT-VPCP forms) as PDF.

- Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (with the code as a QR code),
- Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ,
- Mẫu 03 Phiếu từ chối tiếp nhận, giải quyết hồ sơ,
- Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả,
- Mẫu 05 Thông báo dừng giải quyết hồ sơ,
- Mẫu 06 Phiếu kiểm soát quá trình giải quyết hồ sơ (each hand-off against its budget).

A slip exists only once the dossier has been issued it: the `Event` of the action lists it in
`documents` (the control slip goes with the receipt). Everything printed comes from the
dossier and its events, so a slip printed again later says what it said when it was issued.

`FORMS` is the one table of the slips' titles: the PDF prints `title` (always Vietnamese, as in
the Circular) and the pages name a slip by its `label` (translated).

The font is Noto Serif (SIL OFL), shipped in `static/dossiers/fonts/` and referenced by a file
URL found at run time; DejaVu Serif (Debian's fonts-dejavu-core) is the fallback in the list.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import quote, urljoin

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, gettext_noop

from motcua.core.errors import NotFound

from .models import Dossier, Event, Timeliness
from .queries import events_of
from .timeliness import step_visits


@dataclass(frozen=True)
class Form:
    number: str
    title: str
    # The form is issued by the latest event whose `documents` list this name.
    issued_as: str

    @property
    def label(self) -> str:
        """How pages name the slip: "Giấy tiếp nhận … (Mẫu 01)", in the page's language."""
        return format_lazy(
            gettext_lazy("{title} (Mẫu {number})"),
            title=gettext_lazy(self.title),
            number=self.number,
        )


FORMS: dict[str, Form] = {
    "mau-01": Form("01", gettext_noop("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), "mau-01"),
    "mau-02": Form("02", gettext_noop("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), "mau-02"),
    "mau-03": Form("03", gettext_noop("Phiếu từ chối tiếp nhận, giải quyết hồ sơ"), "mau-03"),
    "mau-04": Form("04", gettext_noop("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), "mau-04"),
    "mau-05": Form("05", gettext_noop("Thông báo dừng giải quyết hồ sơ"), "mau-05"),
    # The control slip is opened when the dossier is received and goes along with it.
    "mau-06": Form("06", gettext_noop("Phiếu kiểm soát quá trình giải quyết hồ sơ"), "mau-01"),
}


def slip_url(code: str, form: str) -> str:
    """The slips API (it accepts the portal's and the back office's sessions)."""
    return f"/api/v1/dossiers/{code}/forms/{form}.pdf"


VERDICTS = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.OVERDUE: "Quá hạn",
    Timeliness.IN_TIME: "Đang giải quyết (trong hạn)",
}
UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "in_day": "trong ngày"}
DELIVERY_PLACE = {
    "online": "Trực tuyến (Cổng dịch vụ công và thư điện tử)",
    "counter": "Bộ phận Một cửa",
    "post": "Dịch vụ bưu chính công ích",
}


FONTS_DIR = Path(__file__).resolve().parent / "static" / "dossiers" / "fonts"
FONT_FILES = (
    ("normal", "normal", "NotoSerif-Regular.ttf"),
    ("bold", "normal", "NotoSerif-Bold.ttf"),
    ("normal", "italic", "NotoSerif-Italic.ttf"),
    ("bold", "italic", "NotoSerif-BoldItalic.ttf"),
)


@cache
def font_faces() -> list[dict]:
    """@font-face sources of the shipped Noto Serif, as file URLs of this installation."""
    return [
        {"weight": weight, "style": style, "url": (FONTS_DIR / name).as_uri()}
        for weight, style, name in FONT_FILES
        if (FONTS_DIR / name).exists()
    ]


def status_page_url(code: str, base_url: str = "") -> str:
    """The public status page a Mẫu 01's QR code opens."""
    path = f"/tra-cuu/?code={quote(code, safe='')}"
    base = settings.PUBLIC_BASE_URL or base_url
    return urljoin(base, path) if base else path


def issuing_event(events: list[Event], form: str) -> Event | None:
    wanted = FORMS[form].issued_as
    return next((e for e in reversed(events) if wanted in (e.documents or [])), None)


def issued_forms(events: list[Event]) -> list[str]:
    return [form for form in FORMS if issuing_event(events, form) is not None]


def _moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return timezone.localtime(value)
    if isinstance(value, str) and (parsed := parse_datetime(value)):
        return timezone.localtime(parsed)
    return None


def _due_at_issue(dossier: Dossier, events: list[Event], upto: Event) -> datetime | None:
    """The appointment as it stood when `upto` was written (later pauses move it on)."""
    due = None
    for event in events:
        if event.seq > upto.seq:
            break
        due = _moment((event.payload or {}).get("due_at")) or due
    return due or _moment(dossier.due_at)


def _hours(value: Decimal) -> str:
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _agency_of(dossier: Dossier, event: Event):
    """Who issues the slip: the agency of the step the dossier was at, else the receiving one."""
    step = event.from_step or event.to_step
    return step.agency if step is not None and step.agency_id else dossier.agency


def _components_at(dossier: Dossier, at: datetime) -> list[dict]:
    rows = dossier.components.filter(added_at__lte=at, supplement=False).select_related("spec")
    return [
        {
            "name": c.name,
            "copies": c.spec.copies if c.spec else 1,
            "kind": "Bản chính" if c.spec and c.spec.original_required else "Bản sao",
            "digitised": c.digitised or c.file_id is not None,
        }
        for c in rows
    ]


def _visits(dossier: Dossier, events: list[Event], now: datetime) -> list[dict]:
    return [
        {
            "step": v.step.name,
            "agency": v.agency.name,
            "entered_at": timezone.localtime(v.entered_at),
            "entered_by": v.entered_by,
            "left_at": timezone.localtime(v.left_at) if v.left_at else None,
            "left_by": v.left_by,
            "budget": _hours(v.step.budget_hours),
            "used": _hours(v.used_hours),
            "paused": _hours(v.paused_hours) if v.paused_hours else "",
            "due_at": timezone.localtime(v.due_at) if v.due_at else None,
            "verdict": v.verdict,
            "verdict_text": VERDICTS[v.verdict],
        }
        for v in step_visits(dossier, events, now)
    ]


def slip_context(
    dossier: Dossier, form: str, *, base_url: str = "", now: datetime | None = None
) -> dict:
    """What a slip prints. NotFound when the form is unknown or the dossier was not issued it."""
    if form not in FORMS:
        raise NotFound("Không có mẫu phiếu này.")
    events = list(events_of(dossier).select_related("from_step__agency"))
    event = issuing_event(events, form)
    if event is None:
        raise NotFound("Hồ sơ chưa được cấp phiếu này.")
    now = now or timezone.now()
    agency = _agency_of(dossier, event)
    payload = event.payload or {}
    procedure = dossier.procedure
    context = {
        "form": FORMS[form],
        "form_key": form,
        "dossier": dossier,
        "applicant": dossier.applicant or {},
        "procedure": procedure,
        "agency": agency,
        "parent_agency": agency.parent if agency.parent_id else None,
        "place": _place(agency),
        "event": event,
        "issued_at": timezone.localtime(event.at),
        "officer": event.actor_name,
        # Apologies and stop notices are signed by the head of the agency: the name of whoever
        # recorded the action goes under that title only when they hold such a role.
        "signer": event.actor_name if event.actor_role in ("head", "leader") else "",
        "note": event.note,
        "font_faces": font_faces(),
    }
    if form == "mau-01":
        url = status_page_url(dossier.code, base_url)
        context |= {
            "components": _components_at(dossier, event.at),
            "submitted_at": timezone.localtime(dossier.submitted_at or event.at),
            "due_at": _due_at_issue(dossier, events, event),
            "processing_time": _processing_time(procedure),
            "delivery_place": DELIVERY_PLACE.get(dossier.channel, ""),
            "status_url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
        }
    elif form == "mau-02":
        context["missing"] = [item.get("name", "") for item in payload.get("missing", [])]
    elif form in ("mau-03", "mau-05"):
        context["reason"] = payload.get("reason", "")
        context["before_receipt"] = not any(
            e.action == "receive" for e in events if e.seq < event.seq
        )
    elif form == "mau-04":
        context |= {
            "reason": payload.get("reason", ""),
            "previous_due_at": _moment(payload.get("previous_due_at")),
            "new_due_at": _moment(payload.get("new_due_at")),
            "received_at": timezone.localtime(dossier.received_at or dossier.submitted_at),
        }
    elif form == "mau-06":
        agencies = {agency.name}
        visits = _visits(dossier, events, now)
        context |= {
            "visits": visits,
            "partners": sorted({v["agency"] for v in visits} - agencies),
            "due_at": _moment(dossier.due_at),
            "extended_due_at": _moment(dossier.extended_due_at),
            "printed_at": timezone.localtime(now),
        }
    return context


def _place(agency) -> str:
    """The place name of the date line ("Lào Cai, ngày ..."): the agency's province."""
    unit = agency.unit
    if unit is None:
        return ""
    name = unit.province.name if unit.province_id else unit.name
    for prefix in ("Tỉnh ", "Thành phố ", "Phường ", "Xã ", "Đặc khu "):
        name = name.removeprefix(prefix)
    return name


def _processing_time(procedure) -> str:
    if procedure.processing_time_text:
        return procedure.processing_time_text
    unit = UNITS.get(procedure.processing_time_unit, procedure.processing_time_unit)
    return f"{_hours(procedure.processing_time_value)} {unit}"


def slip_html(dossier: Dossier, form: str, **kwargs) -> str:
    return render_to_string(f"dossiers/slips/{form}.html", slip_context(dossier, form, **kwargs))


def slip_pdf(dossier: Dossier, form: str, **kwargs) -> bytes:
    from weasyprint import HTML

    return HTML(string=slip_html(dossier, form, **kwargs)).write_pdf()
