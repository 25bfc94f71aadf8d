"""How a dossier reads to its applicant: status in plain words, timeliness badges, the status
groups of "my dossiers", the due date in words, and the history as sentences.

The history is told from the events, one sentence per action (`SENTENCES`, the one place to
change a wording). Officers' names and their internal notes are left out: only the notes
meant for the applicant (what to supplement, why a dossier was refused or stopped) and the
applicant's own notes are shown.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers import display as dossier_display
from motcua.dossiers.models import Status
from motcua.dossiers.slips import FORMS, slip_url
from motcua.workdays.calendar import WEEKDAYS

from ..display import money

S = Status

# "My dossiers" filters: what a citizen wants to find, not the ten statuses.
GROUPS = {
    "dang-xu-ly": (
        gettext_lazy("Đang xử lý"),
        (S.SUBMITTED, S.PROCESSING, S.AWAITING_PAYMENT),
    ),
    "can-bo-sung": (gettext_lazy("Cần bổ sung"), (S.AWAITING_SUPPLEMENT,)),
    "da-co-ket-qua": (gettext_lazy("Đã có kết quả"), (S.RESULT_READY, S.RETURNED)),
    "da-ket-thuc": (gettext_lazy("Đã kết thúc"), (S.REFUSED, S.STOPPED, S.WITHDRAWN)),
}

STATUS_EXPLAINED = {
    S.SUBMITTED: gettext_lazy(
        "Hồ sơ đã được gửi đến Bộ phận Một cửa và đang chờ kiểm tra, tiếp nhận."
    ),
    S.PROCESSING: gettext_lazy("Cơ quan có thẩm quyền đang giải quyết hồ sơ."),
    S.AWAITING_SUPPLEMENT: gettext_lazy(
        "Hồ sơ cần bổ sung giấy tờ. Thời hạn giải quyết tạm dừng cho đến khi bạn bổ sung."
    ),
    S.AWAITING_PAYMENT: gettext_lazy(
        "Bạn cần nộp phí, lệ phí để cơ quan tiếp tục giải quyết hồ sơ."
    ),
    S.RESULT_READY: gettext_lazy("Hồ sơ đã có kết quả giải quyết, đang chờ trả cho bạn."),
    S.RETURNED: gettext_lazy("Kết quả giải quyết đã được trả cho bạn."),
    S.REFUSED: gettext_lazy("Hồ sơ bị từ chối tiếp nhận, giải quyết. Lý do có trong lịch sử."),
    S.STOPPED: gettext_lazy("Cơ quan đã dừng xử lý hồ sơ. Lý do có trong lịch sử."),
    S.WITHDRAWN: gettext_lazy("Hồ sơ đã được rút theo đề nghị của bạn."),
}

NEXT_STEPS = {
    S.SUBMITTED: gettext_lazy(
        "Bộ phận Một cửa sẽ kiểm tra hồ sơ trong giờ hành chính. Khi hồ sơ được tiếp nhận, "
        "bạn nhận được Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01); nếu cần bổ sung "
        "giấy tờ, bạn nhận được thông báo và bổ sung ngay trên trang hồ sơ."
    ),
    S.PROCESSING: gettext_lazy(
        "Hồ sơ đã được tiếp nhận và đang được giải quyết. Bạn sẽ nhận được thông báo khi có "
        "kết quả hoặc khi cần bổ sung giấy tờ."
    ),
}

# The slips the applicant is given (the control slip stays with the agencies).
SLIPS = ("mau-01", "mau-02", "mau-03", "mau-04", "mau-05")

# The applicant is told what to do or why; other officers' notes stay in the back office.
NOTES_FOR_APPLICANT = frozenset({"request_supplement", "refuse", "stop"})


def status(value: str) -> dict:
    return dossier_display.status(value) | {"explained": STATUS_EXPLAINED.get(value, "")}


def due_in_words(moment) -> str:
    """ "Thứ Năm, ngày 26 tháng 11 năm 2026, lúc 17:00" (local time)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return _("%(weekday)s, ngày %(day)s tháng %(month)s năm %(year)s, lúc %(time)s") % {
        "weekday": WEEKDAYS[local.weekday()],
        "day": f"{local.day:02d}",
        "month": f"{local.month:02d}",
        "year": local.year,
        "time": f"{local:%H:%M}",
    }


def confirmation(dossier) -> dict:
    """What a confirmation page says of a dossier just submitted: when it is due, in words,
    and what happens next."""
    return {
        "dossier": dossier,
        "due_in_words": due_in_words(dossier.extended_due_at or dossier.due_at),
        "next_steps": NEXT_STEPS.get(dossier.status) or STATUS_EXPLAINED.get(dossier.status, ""),
    }


def _when(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    return due_in_words(moment) if moment else ""


def _deliveries():
    return {
        "counter": _("Kết quả đã được trả trực tiếp tại Bộ phận Một cửa."),
        "post": _("Kết quả đã được gửi cho bạn qua dịch vụ bưu chính công ích."),
        "electronic": _("Kết quả đã được trả bản điện tử; bạn tải về ngay trên trang này."),
    }


def _step_name(event) -> str:
    return event.to_step.name if event.to_step_id else ""


def _agency_name(event, dossier) -> str:
    if event.to_step_id and event.to_step.agency_id:
        return event.to_step.agency.name
    return dossier.agency.name


def _sentence(event, dossier) -> str:
    """One plain sentence per action (the one place where the wording lives)."""
    action = event.action
    payload = event.payload or {}
    by_counter = event.actor_role not in ("applicant", "helper", "")
    if action == "submit":
        if dossier.channel == "post":
            return _("Hồ sơ đã được gửi qua dịch vụ bưu chính công ích.")
        helper = (dossier.helper or {}).get("full_name")
        if helper:  # assisted submission: the citizen sees who helped
            return _("Hồ sơ được nộp trực tuyến cho bạn, với sự hỗ trợ của %(helper)s.") % {
                "helper": helper
            }
        return _("Bạn đã nộp hồ sơ trực tuyến.")
    if action == "receive":
        if event.from_status == "":
            return _("Bộ phận Một cửa đã tiếp nhận hồ sơ trực tiếp tại quầy.")
        return _("Bộ phận Một cửa đã tiếp nhận hồ sơ.")
    if action == "request_supplement":
        return _("Cơ quan đề nghị bạn bổ sung, hoàn thiện hồ sơ.")
    if action == "supplement":
        if by_counter:
            return _("Bộ phận Một cửa đã nhận giấy tờ bổ sung của bạn; hồ sơ được giải quyết tiếp.")
        return _("Bạn đã bổ sung hồ sơ; hồ sơ được giải quyết tiếp.")
    if action == "forward":
        return _("Hồ sơ được chuyển sang bước “%(step)s”.") % {"step": _step_name(event)}
    if action == "send_back":
        return _("Hồ sơ được chuyển lại bước “%(step)s” để xem xét lại.") % {
            "step": _step_name(event)
        }
    if action == "transfer":
        agency = _agency_name(event, dossier)
        if agency == dossier.agency.name:  # back home from the inter-agency step
            return _("Hồ sơ được chuyển về %(agency)s để giải quyết tiếp.") % {"agency": agency}
        return _("Hồ sơ được chuyển đến %(agency)s để phối hợp giải quyết (liên thông).") % {
            "agency": agency
        }
    if action == "request_payment":
        return _("Cơ quan đề nghị bạn nộp phí, lệ phí: %(amount)s.") % {
            "amount": money(payload.get("amount") or 0)
        }
    if action == "record_payment":
        return _("Đã ghi nhận khoản nộp phí, lệ phí %(amount)s; hồ sơ được giải quyết tiếp.") % {
            "amount": money(payload.get("amount") or 0)
        }
    if action == "apologize":
        return _("Cơ quan xin lỗi vì chưa thể trả kết quả đúng hẹn và hẹn lại ngày trả kết quả.")
    if action == "refuse":
        return _("Hồ sơ bị từ chối tiếp nhận, giải quyết.")
    if action == "stop":
        return _("Cơ quan đã dừng xử lý hồ sơ.")
    if action == "finish":
        return _("Hồ sơ đã có kết quả giải quyết.")
    if action == "return_result":
        return _deliveries().get(payload.get("delivery"), _("Kết quả đã được trả cho bạn."))
    if action == "withdraw":
        return _("Bạn đã rút hồ sơ.")
    return Status(event.to_status).label if event.to_status in Status.values else action


def _details(event) -> list[str]:
    payload = event.payload or {}
    lines = []
    if event.action == "request_supplement":
        names = [item.get("name", "") for item in payload.get("missing", [])]
        lines.append(_("Cần bổ sung: %(items)s.") % {"items": "; ".join(names)})
    if payload.get("reason") and event.action in ("refuse", "stop", "apologize"):
        lines.append(_("Lý do: %(text)s") % {"text": payload["reason"]})
    if event.action == "apologize" and payload.get("new_due_at"):
        lines.append(
            _("Ngày hẹn trả kết quả mới: %(when)s.") % {"when": _when(payload["new_due_at"])}
        )
    if event.action in ("submit", "receive", "supplement") and payload.get("due_at"):
        lines.append(_("Hẹn trả kết quả: %(when)s.") % {"when": _when(payload["due_at"])})
    if event.action == "supplement" and payload.get("files"):
        lines.append(_("Số tệp đã bổ sung: %(count)s.") % {"count": payload["files"]})
    if event.note and (event.action in NOTES_FOR_APPLICANT or event.actor_role == "applicant"):
        lines.append(_("Ghi chú: %(text)s") % {"text": event.note})
    return lines


@dataclass
class HistoryEntry:
    at: object
    text: str
    details: list[str] = field(default_factory=list)
    slips: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


def history(dossier, events) -> list[HistoryEntry]:
    """The dossier's history for its applicant, newest first."""
    entries = [
        HistoryEntry(
            at=timezone.localtime(e.at),
            text=_sentence(e, dossier),
            details=_details(e),
            slips=[_slip(dossier, d) for d in e.documents or [] if d in SLIPS],
        )
        for e in events
    ]
    return entries[::-1]


def slips(dossier, events) -> list[tuple[str, str]]:
    """The slips issued to the applicant, each once, in the order they were issued."""
    seen: list[str] = []
    for e in events:
        seen += [d for d in e.documents or [] if d in SLIPS and d not in seen]
    return [_slip(dossier, d) for d in seen]


def _slip(dossier, form: str) -> tuple[str, str]:
    return FORMS[form].label, slip_url(dossier.code, form)


def supplement_request(events):
    """The latest supplement request event (what is missing, the note, the slip), or None."""
    return next((e for e in reversed(events) if e.action == "request_supplement"), None)


def missing(request_event) -> list[dict]:
    """What a supplement request asked for: [{"spec_id"?, "name"}], all at once."""
    return list((request_event.payload or {}).get("missing", [])) if request_event else []
