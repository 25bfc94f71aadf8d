"""`perform`: every action on feedback after its submission, through one door. It locks the
row, asks the workflow who may act and whether the action can happen now, lets the action's
handler change the feedback's data and deadlines, sets the status the table gives, and
appends to the history, all in one transaction (as `dossiers.services.perform` does)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.core.errors import ActionNotAllowed, NotFound, ValidationFailed
from motcua.core.text import fold
from motcua.dossiers.files import JPEG, PDF, PNG, UnsupportedFileType
from motcua.dossiers.services.actions import _Args
from motcua.dossiers.services.checks import _Errors, files_for

from ..models import DeadlineKind as K
from ..models import Feedback, FeedbackAttachment, Reaction, RefusalReason
from ..queries import can_see
from . import deadlines
from .history import append_event
from .workflow import ACTIONS, EVIDENCE_REQUIRED, TRANSITIONS, refusal, role_for

TEXT_MAX = 5000
MAX_FILES = 5
ATTACHABLE = (PDF, JPEG, PNG)  # photos and PDFs


def _locked(feedback) -> Feedback:
    pk = feedback.pk if isinstance(feedback, Feedback) else feedback
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("Không tìm thấy phản ánh, kiến nghị.") from None
    found = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("agency")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("Không tìm thấy phản ánh, kiến nghị.")
    return found


def perform(
    feedback,
    action: str,
    actor,
    *,
    now: datetime | None = None,
    submitter: bool = False,
    **args,
) -> Feedback:
    """Do `action` on the feedback (its id or instance) as `actor`. `submitter`: the caller
    holds the anonymous submitter's secret link (checked by the caller).

    Raises NotFound when the actor may not see it, ActionNotAllowed (409) when the table or
    the moment does not allow the action, ValidationFailed (422) for bad arguments.
    """
    if action not in ACTIONS:
        raise ValidationFailed(fields={"action": [f"Thao tác không tồn tại: {action}."]})
    now = now or timezone.now()
    with transaction.atomic():
        fb = _locked(feedback)
        if not (submitter or can_see(actor, fb)):
            raise NotFound("Không tìm thấy phản ánh, kiến nghị.")
        role = role_for(fb, action, actor, submitter=submitter)
        if role is None:
            raise ActionNotAllowed(
                f"Không thể thực hiện “{action}” khi phản ánh ở trạng thái "
                f"“{fb.get_status_display()}”."
            )
        refused = refusal(fb, action, now, args)
        if refused is not None:
            raise refused
        from_status = fb.status
        fb.status = TRANSITIONS[(fb.status, action)].to_status
        given = {k: v for k, v in args.items() if v is not None}
        note, payload, files, purpose = _HANDLERS[action](fb, actor, now, given)
        deadlines.refresh(fb, now)
        fb.updated_at = now
        fb.save()
        event = append_event(
            fb,
            at=now,
            actor=actor,
            role=role,
            action=action,
            from_status=from_status,
            note=note,
            internal_note=_text(given, "internal_note") if role != "submitter" else "",
            payload=payload,
        )
        attach(fb, files, purpose, event)
    return fb


# ------------------------------------------------------------------------------- arguments


def _text(args: dict, key: str, *, required=False, max_length=TEXT_MAX) -> str:
    return _Args(args).text(key, required=required, max_length=max_length)


def take_files(file_ids, owner, field: str = "attachments") -> list:
    """The owner's own uploads, not attached anywhere yet, photos or PDFs only (415 else);
    the dossiers' rule for picking uploads (`files_for`)."""
    if not file_ids:
        return []
    if not isinstance(file_ids, list) or len(file_ids) > MAX_FILES:
        raise ValidationFailed(fields={field: [f"Tối đa {MAX_FILES} tệp."]})
    errors = _Errors()
    picked = files_for([{"file_id": str(i)} for i in file_ids], owner, errors, field=field)
    errors.raise_if_any()
    files = [stored for _, stored, _ in picked]
    for stored in files:
        if stored.content_type not in ATTACHABLE:
            raise UnsupportedFileType("Chỉ nhận ảnh (JPEG, PNG) hoặc tệp PDF.")
    return files


def attach(fb: Feedback, files, purpose: str, event=None) -> None:
    for stored in files:
        FeedbackAttachment.objects.create(feedback=fb, file=stored, purpose=purpose, event=event)
        type(stored).objects.filter(pk=stored.pk).update(attached=True)


# -------------------------------------------------------------------------------- handlers

P = FeedbackAttachment.Purpose


def _h_accept(fb, actor, now, args):
    deadlines.meet(fb, K.REFUSE, now)
    return _text(args, "note"), {}, [], ""


def _h_refuse(fb, actor, now, args):
    reason = args.get("reason")
    if reason not in RefusalReason.values:
        raise ValidationFailed(
            fields={"reason": ["Chọn một lý do: " + ", ".join(RefusalReason.values) + "."]}
        )
    fb.refusal_reason = reason
    deadlines.meet(fb, K.REFUSE, now)
    deadlines.close(fb, now)
    return _text(args, "note"), {"reason": reason}, [], ""


def _h_transfer(fb, actor, now, args):
    code = args.get("to_agency")
    target = Agency.objects.filter(code=code).first() if isinstance(code, str) else None
    if target is None or target.pk == fb.agency_id:
        raise ValidationFailed(fields={"to_agency": ["Chọn một cơ quan khác để chuyển."]})
    payload = {"from_agency": fb.agency.code, "to_agency": target.code}
    deadlines.meet(fb, K.REFUSE, now)  # sending it on is the first agency's decision
    fb.agency = target
    fb.clock_started_at = now
    fb.due_soon = fb.overdue = False
    # The new agency's deadlines start again (its own calendar and office hours).
    deadlines.start_round(fb, now)
    return _text(args, "note"), payload, [], ""


def _h_ask_info(fb, actor, now, args):
    question = _text(args, "note", required=True)
    deadlines.meet(fb, K.ASK_INFO, now)
    deadlines.pause(fb, now)
    return question, {}, [], ""


def _h_supply_info(fb, actor, now, args):
    info = _text(args, "note", required=True)
    files = take_files(args.get("attachments"), actor) if fb.submitter_id else []
    hours = deadlines.resume(fb, now)
    return info, {"paused_hours": str(hours), "files": len(files)}, files, P.INFO


def _h_answer(fb, actor, now, args):
    answer = _text(args, "answer", required=True)
    files = take_files(args.get("attachments"), actor)
    if fb.category in EVIDENCE_REQUIRED and not files:
        raise ValidationFailed(
            "Trả lời phản ánh về dịch vụ hoặc nơi công cộng cần kèm minh chứng.",
            fields={"attachments": ["Cần ít nhất một ảnh hoặc tệp PDF minh chứng."]},
        )
    fb.answer, fb.answered_at = answer, now
    deadlines.meet(fb, K.ANSWER, now)
    deadlines.void(fb, [K.ASK_INFO, K.REFUSE], now)
    if fb.is_public:
        deadlines.add(fb, K.PUBLISH, now)
    return _text(args, "note"), {"files": len(files)}, files, P.EVIDENCE


def _h_publish(fb, actor, now, args):
    fb.published_at = now
    fb.search_text = fold(f"{fb.title} {fb.content} {fb.answer}")
    deadlines.meet(fb, K.PUBLISH, now)
    return _text(args, "note"), {}, [], ""


def _h_react(fb, actor, now, args):
    like = args.get("like")
    if not isinstance(like, bool):
        raise ValidationFailed(fields={"like": ["Phải là true (hài lòng) hoặc false."]})
    fb.reaction = Reaction.LIKE if like else Reaction.DISLIKE
    return "", {"like": like}, [], ""


def _h_reopen(fb, actor, now, args):
    reason = _text(args, "note", required=True)
    fb.reopen_count += 1
    fb.published_at = None
    deadlines.start_round(fb, now, kinds=(K.ANSWER,))
    return reason, {"reopen": fb.reopen_count}, [], ""


_HANDLERS = {
    "accept": _h_accept,
    "refuse": _h_refuse,
    "transfer": _h_transfer,
    "ask_info": _h_ask_info,
    "supply_info": _h_supply_info,
    "answer": _h_answer,
    "publish": _h_publish,
    "react": _h_react,
    "reopen": _h_reopen,
}
