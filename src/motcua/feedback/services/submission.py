"""Sending feedback: by a signed-in citizen, or anonymously with a contact (phone or e-mail)
confirmed by a one-time code (`core.onetime`), sent at once and never kept readable."""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Agency, Procedure
from motcua.core import ids, onetime
from motcua.core.errors import DomainError, ValidationFailed
from motcua.core.messaging import DeliveryFailed, mask_recipient, send_now
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.checks import require_confirmed_account

from ..models import Category, ContactCode, Feedback, FeedbackAttachment
from . import deadlines
from .actions import attach, take_files
from .history import append_event

CODE_SALT = "motcua.feedback.contact"
CODE_TTL = timedelta(minutes=10)
CODE_MAX_TRIES = 5
TITLE_MAX, CONTENT_MAX = 200, 5000


class ContactNotConfirmed(ValidationFailed):
    code = "contact_not_confirmed"
    message = (
        "Phản ánh không đăng nhập cần số điện thoại hoặc thư điện tử đã xác nhận bằng mã "
        "một lần: gửi mã, rồi nhập mã đã nhận."
    )


class CodeUndelivered(DomainError):
    status = 503
    code = "delivery_failed"  # as the accounts' one-time codes say it
    message = "Chưa gửi được mã xác nhận. Vui lòng thử lại sau."


def clean_contact(contact) -> tuple[str, str]:
    """(channel, recipient) of a phone number or an e-mail address."""
    value = contact.strip() if isinstance(contact, str) else ""
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            value = ""
        else:
            return "email", value.lower()
    elif ids.is_phone(value):
        return "sms", ids.normalise_phone(value)
    raise ValidationFailed(fields={"contact": ["Nhập số điện thoại hoặc địa chỉ thư điện tử."]})


def send_contact_code(contact: str, *, now: datetime | None = None) -> ContactCode:
    now = now or timezone.now()
    channel, recipient = clean_contact(contact)
    code = onetime.new_code()
    row = ContactCode(
        id=uuid.uuid4(),
        channel=channel,
        recipient=recipient,
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    row.code_hash = onetime.code_hash(CODE_SALT, str(row.pk), code)
    row.save()
    minutes = int(CODE_TTL.total_seconds() // 60)
    text = f"Ma xac nhan gui phan anh, kien nghi: {code}. Het han sau {minutes} phut."
    try:
        send_now(channel, recipient, "Mã xác nhận gửi phản ánh", text, reference=f"pakn-{row.pk}")
    except DeliveryFailed:
        row.delete()
        raise CodeUndelivered() from None
    return row


def masked(row: ContactCode) -> str:
    return mask_recipient(row.recipient)


def _confirm(contact: dict, now: datetime) -> ContactCode:
    """The contact code row opened by the code given; ContactNotConfirmed else. Called
    outside the submission's transaction, so that a wrong try stays counted."""
    code_id = contact.get("code_id") if isinstance(contact, dict) else None
    try:
        pk = uuid.UUID(str(code_id))
    except ValueError:
        raise ContactNotConfirmed() from None
    with transaction.atomic():
        row = ContactCode.objects.select_for_update().filter(pk=pk).first()
        why = row and onetime.check(
            row,
            contact.get("code"),
            salt=CODE_SALT,
            bound_to=str(row.pk),
            now=now,
            max_tries=CODE_MAX_TRIES,
        )
    if row is None or why is not None:
        raise ContactNotConfirmed(
            fields={"contact.code": ["Mã xác nhận không đúng hoặc đã hết hạn."]}
        )
    return row


def _use(row: ContactCode, now: datetime) -> bool:
    """Spend the code, once: two submissions racing with it make one feedback."""
    return ContactCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now) == 1


def _route(category, agency, procedure, dossier) -> tuple[Agency, Procedure | None]:
    """The agency concerned: the dossier's, the one chosen, or the procedure's first."""
    proc = Procedure.objects.filter(code=procedure).first() if procedure else None
    if procedure and proc is None:
        raise ValidationFailed(fields={"procedure": ["Không tìm thấy thủ tục."]})
    if dossier is not None:
        return dossier.agency, proc or dossier.procedure
    if agency:
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise ValidationFailed(fields={"agency": ["Không tìm thấy cơ quan."]})
        return found, proc
    if proc is not None and (first := proc.agencies.order_by("code").first()):
        return first, proc
    raise ValidationFailed(fields={"agency": ["Chọn cơ quan được phản ánh, kiến nghị."]})


def _own_dossier(user, code) -> Dossier | None:
    if not code:
        return None
    found = Dossier.objects.filter(code=code).select_related("agency", "procedure").first()
    if user is None or found is None or found.applicant_user_id != user.pk:
        raise ValidationFailed(
            fields={"dossier_code": ["Không tìm thấy hồ sơ của bạn với mã này."]}
        )
    return found


def _check_text(title, content, category) -> tuple[str, str]:
    fields = {}
    title = title.strip() if isinstance(title, str) else ""
    content = content.strip() if isinstance(content, str) else ""
    if not 5 <= len(title) <= TITLE_MAX:
        fields["title"] = [f"Tiêu đề từ 5 đến {TITLE_MAX} ký tự."]
    if not 10 <= len(content) <= CONTENT_MAX:
        fields["content"] = [f"Nội dung từ 10 đến {CONTENT_MAX} ký tự."]
    if category not in Category.values:
        fields["category"] = ["Chọn một lĩnh vực: " + ", ".join(Category.values) + "."]
    if fields:
        raise ValidationFailed("Phản ánh chưa hợp lệ.", fields=fields)
    return title, content


def access_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def submit_feedback(
    user,
    *,
    title,
    content,
    category,
    agency: str | None = None,
    procedure: str | None = None,
    dossier_code: str | None = None,
    attachments=None,
    is_public: bool = True,
    contact: dict | None = None,
    files=(),
    now: datetime | None = None,
) -> tuple[Feedback, str]:
    """Receive feedback; (feedback, the secret key of its page: "" when signed in).
    `attachments`: ids of the user's uploads; `files`: StoredFiles already checked (the form)."""
    now = now or timezone.now()
    user = user if user is not None and user.is_authenticated else None
    title, content = _check_text(title, content, category)
    if user is not None:
        require_confirmed_account(user)
    row = _confirm(contact or {}, now) if user is None else None
    with transaction.atomic():
        if row is not None and not _use(row, now):
            raise ContactNotConfirmed(fields={"contact.code": ["Mã xác nhận đã được dùng."]})
        dossier = _own_dossier(user, dossier_code)
        target, proc = _route(category, agency, procedure, dossier)
        taken = take_files(attachments, user) if user is not None else []
        key = "" if user is not None else secrets.token_urlsafe(24)
        fb = Feedback.objects.create(
            title=title,
            content=content,
            category=category,
            agency=target,
            procedure=proc,
            dossier=dossier,
            submitter=user,
            is_public=bool(is_public),
            contact_name=str((contact or {}).get("name") or "")[:200] if user is None else "",
            contact_phone=row.recipient if row and row.channel == "sms" else "",
            contact_email=row.recipient if row and row.channel == "email" else "",
            access_hash=access_hash(key) if key else "",
            received_at=now,
            clock_started_at=now,
            updated_at=now,
        )
        deadlines.start_round(fb, now)
        deadlines.refresh(fb, now)
        fb.save(update_fields=["due_at", "due_soon", "overdue"])
        event = append_event(
            fb,
            at=now,
            actor=user,
            role="submitter",
            action="submit",
            from_status="",
            payload={"channel": "anonymous" if user is None else "account"},
            first=True,
        )
        attach(fb, [*taken, *files], FeedbackAttachment.Purpose.SUBMISSION, event)
    return fb, key
