"""How dossiers, events and step visits read on the officers' pages (labels, badges, slips)."""

from decimal import Decimal

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import OfficerRole
from motcua.dossiers.display import status, status_label, timeliness
from motcua.dossiers.slips import FORMS, slip_url
from motcua.dossiers.timeliness import dossier_timeliness

ACTION_LABELS = {
    "submit": gettext_lazy("Nộp hồ sơ"),
    "receive": gettext_lazy("Tiếp nhận"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung"),
    "supplement": gettext_lazy("Bổ sung hồ sơ"),
    "refuse": gettext_lazy("Từ chối"),
    "forward": gettext_lazy("Chuyển bước tiếp theo"),
    "send_back": gettext_lazy("Trả lại bước trước"),
    "transfer": gettext_lazy("Chuyển liên thông"),
    "request_payment": gettext_lazy("Yêu cầu nộp phí, lệ phí"),
    "record_payment": gettext_lazy("Ghi nhận thanh toán"),
    "apologize": gettext_lazy("Xin lỗi, hẹn lại ngày trả"),
    "stop": gettext_lazy("Dừng xử lý"),
    "finish": gettext_lazy("Có kết quả giải quyết"),
    "return_result": gettext_lazy("Trả kết quả"),
    "withdraw": gettext_lazy("Rút hồ sơ"),
}

DELIVERIES = {
    "counter": gettext_lazy("trực tiếp tại quầy"),
    "post": gettext_lazy("qua bưu chính công ích"),
    "electronic": gettext_lazy("bản điện tử vào kho dữ liệu"),
}

_ROLES = {
    **dict(OfficerRole.Role.choices),
    "applicant": gettext_lazy("Người nộp hồ sơ"),
    "helper": gettext_lazy("Người hỗ trợ nộp hồ sơ"),
}


def row(dossier, now) -> dict:
    return {
        "dossier": dossier,
        "status": status(dossier.status),
        "timeliness": timeliness(dossier_timeliness(dossier, now)),
        "due_at": dossier.extended_due_at or dossier.due_at,
        "paused": dossier.paused_at is not None,
    }


def money(amount: int) -> str:
    """Đồng grouped by thousands in the page's language (100.000 in Vietnamese)."""
    return f"{int(amount):,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))


def _when(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        return str(value)
    return formats.date_format(timezone.localtime(moment), "d/m/Y H:i")


def _hours(value) -> str:
    return formats.number_format(Decimal(str(value)).quantize(Decimal("0.01")), 2)


def _details(payload: dict) -> list[str]:
    out = []
    if payload.get("reason"):
        out.append(_("Lý do: %(text)s") % {"text": payload["reason"]})
    if payload.get("missing"):
        names = "; ".join(item.get("name", "") for item in payload["missing"])
        out.append(_("Cần bổ sung: %(items)s") % {"items": names})
    if payload.get("new_due_at"):
        out.append(_("Hẹn trả mới: %(when)s") % {"when": _when(payload["new_due_at"])})
    if payload.get("delivery") in DELIVERIES:
        out.append(_("Hình thức trả: %(how)s") % {"how": DELIVERIES[payload["delivery"]]})
    if payload.get("amount"):
        out.append(_("Số tiền: %(amount)s đồng") % {"amount": money(payload["amount"])})
    if payload.get("receipt_number"):
        out.append(_("Biên lai số %(number)s") % {"number": payload["receipt_number"]})
    if payload.get("paused_hours"):
        out.append(
            _("Thời gian chờ bổ sung: %(hours)s giờ làm việc")
            % {"hours": _hours(payload["paused_hours"])}
        )
    return out


def event(e) -> dict:
    return {
        "seq": e.seq,
        "at": e.at,
        "actor": e.actor_name or _("Hệ thống"),
        "role": _ROLES.get(e.actor_role, e.actor_role),
        "action": ACTION_LABELS.get(e.action, e.action),
        "from_status": status_label(e.from_status),
        "to_status": status_label(e.to_status),
        "from_step": e.from_step.name if e.from_step_id else "",
        "to_step": e.to_step.name if e.to_step_id else "",
        "note": e.note,
        "details": _details(e.payload or {}),
        "documents": [(d, FORMS[d].label if d in FORMS else d) for d in e.documents or []],
    }


def visit(v) -> dict:
    return {
        "step": v.step,
        "agency": v.agency,
        "entered_at": v.entered_at,
        "entered_by": v.entered_by,
        "left_at": v.left_at,
        "left_by": v.left_by,
        "budget": _hours(v.step.budget_hours),
        "used": _hours(v.used_hours),
        "due_at": v.due_at,
        "verdict": timeliness(v.verdict),
    }


def slips(dossier, events) -> list[tuple[str, str, str]]:
    """Every slip the dossier's history issued, then the control slip once it is in a
    process: (form, label, URL)."""
    seen: list[str] = []
    for e in events:
        for doc in e.documents or []:
            if doc in FORMS and doc not in seen:
                seen.append(doc)
    if any(e.to_step_id for e in events) and "mau-06" not in seen:
        seen.append("mau-06")
    return [(doc, FORMS[doc].label, slip_url(dossier.code, doc)) for doc in seen]
