"""Telling applicants what happened to their dossiers (issue: notifications).

`notify_status_change(event)` runs inside the transaction that wrote the dossier's `Event`
(a receiver of `dossiers.hooks.event_appended`, connected in `apps.py`): when the status changed (or an apology set a new
appointment) it writes the applicant's in-portal `Notification` and an `OutboxMessage` per
channel (e-mail, SMS) in that same transaction, so a rolled-back action tells nobody and a
committed one is never forgotten. After commit a task delivers the outbox
(`deliver_outbox`); failures are retried with backoff by the same task, scheduled for when
the next retry is due, and by `python -m motcua deliver_outbox` from cron.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from unidecode import unidecode

from motcua.core.messaging import mask_phone
from motcua.dossiers.models import Dossier, Event, Status
from motcua.dossiers.slips import FORMS, slip_pdf, status_page_url

from .models import Notification, OutboxMessage
from .plugins.sms.registry import register as sms_senders

logger = logging.getLogger("motcua.integrations")

# A replayed history (demo data, imports) is not news: e-mail and SMS only for recent events.
NEWS_MAX_AGE = timedelta(days=1)
MAX_ATTEMPTS = 10
BACKOFF_CAP = timedelta(hours=6)

NEWS = {
    Status.SUBMITTED: "đã được nộp, đang chờ tiếp nhận",
    Status.PROCESSING: "đang được giải quyết",
    Status.AWAITING_SUPPLEMENT: "cần bổ sung, hoàn thiện",
    Status.AWAITING_PAYMENT: "chờ thực hiện nghĩa vụ tài chính",
    Status.RESULT_READY: "đã có kết quả, chờ trả",
    Status.RETURNED: "đã được trả kết quả",
    Status.REFUSED: "bị từ chối tiếp nhận, giải quyết",
    Status.STOPPED: "đã dừng xử lý",
    Status.WITHDRAWN: "đã được rút theo đề nghị của người nộp",
}
# What an action that leaves the dossier processing means to the applicant.
ACTION_NEWS = {
    "receive": "đã được tiếp nhận",
    "supplement": "đã được bổ sung, tiếp tục giải quyết",
    "record_payment": "đã ghi nhận thanh toán, tiếp tục giải quyết",
    "apologize": "được hẹn lại ngày trả kết quả",
}
# Documents other apps attach to their messages, rendered at delivery (so a rolled-back
# change renders nothing): kind -> function(id) -> (file name, content, MIME type).
ATTACHMENTS: dict[str, Callable[[object], tuple[str, bytes, str]]] = {}

DELIVERY = {
    "counter": "nhận trực tiếp tại Bộ phận Một cửa",
    "post": "gửi qua dịch vụ bưu chính công ích",
    "electronic": "bản điện tử trong kho dữ liệu của bạn",
}


def worth_telling(event: Event) -> bool:
    return event.to_status != Status.DRAFT and (
        event.to_status != event.from_status or event.action == "apologize"
    )


def _when(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return ""
    return f"{timezone.localtime(moment):%H:%M} ngày {timezone.localtime(moment):%d/%m/%Y}"


def _details(event: Event, dossier: Dossier) -> list[str]:
    payload = event.payload or {}
    lines = []
    helper = dossier.helper or {}
    if event.action == "submit" and helper.get("consent_method"):  # an assisted submission
        lines.append(
            f"Người nộp hộ: {helper.get('full_name', '')} ({helper.get('role_label', '')})."
        )
    if event.action in ("submit", "receive", "supplement") and dossier.due_at:
        lines.append(f"Hẹn trả kết quả: {_when(dossier.extended_due_at or dossier.due_at)}.")
    if event.action == "request_supplement":
        lines.append("Giấy tờ cần bổ sung:")
        lines += [f"{n}. {item.get('name', '')}" for n, item in enumerate(payload["missing"], 1)]
    if payload.get("reason") and event.action in ("refuse", "stop", "apologize"):
        lines.append(f"Lý do: {payload['reason']}")
    if event.action == "apologize":
        lines.append(f"Ngày hẹn trả kết quả mới: {_when(payload.get('new_due_at'))}.")
    if event.to_status == Status.AWAITING_PAYMENT and payload.get("amount"):
        lines.append(f"Số tiền phải nộp: {payload['amount']:,} đồng.".replace(",", "."))
    if event.action == "return_result" and payload.get("delivery") in DELIVERY:
        lines.append(f"Hình thức nhận kết quả: {DELIVERY[payload['delivery']]}.")
    if event.note and event.action in ("request_supplement", "refuse", "stop"):
        lines.append(f"Ghi chú: {event.note}")
    return lines


def compose(event: Event) -> tuple[str, str]:
    """(title, body) of the news an event brings, in Vietnamese."""
    dossier = event.dossier
    news = ACTION_NEWS.get(event.action) or NEWS.get(event.to_status, event.to_status)
    name = f"Hồ sơ {dossier.code}" if dossier.code else f"Hồ sơ “{dossier.procedure.name}”"
    title = f"{name} {news}"
    lines = [f"{title}.", f"Thủ tục: {dossier.procedure.name}.", *_details(event, dossier)]
    if dossier.code:
        lines.append(f"Tra cứu tình trạng hồ sơ: {status_page_url(dossier.code)}")
    return title[:255], "\n".join(lines)


def sms_text(title: str, dossier: Dossier) -> str:
    # Without diacritics: a Vietnamese SMS with them fits 70 characters instead of 160.
    text = unidecode(title)
    if dossier.code:
        text += f". Tra cuu: {status_page_url(dossier.code)}"
    return text


def _contacts(dossier: Dossier) -> tuple[str, str]:
    applicant = dossier.applicant or {}
    email, phone = applicant.get("email") or "", applicant.get("phone") or ""
    if dossier.applicant_user_id and not (email and phone):
        user = dossier.applicant_user
        email, phone = email or user.email, phone or getattr(user, "phone", "")
    return email, phone


def notify_status_change(event: Event) -> list[OutboxMessage]:
    """Tell the applicant about `event` if it changed the dossier's status; in the caller's
    transaction. Returns the outbox rows written."""
    if not worth_telling(event):
        return []
    title, body = compose(event)
    return _tell(event.dossier, title, body, at=event.at, event=event)


def notify_applicant(
    dossier: Dossier, title: str, body: str, *, at: datetime, attachments: list[dict] = ()
) -> list[OutboxMessage]:
    """Tell the applicant news that is not a status change (a receipt issued): the portal
    notification and the outbox, in the caller's transaction. `attachments` name documents
    of ATTACHMENTS that go with the e-mail."""
    return _tell(dossier, title[:255], body, at=at, attachments=list(attachments))


def _tell(
    dossier: Dossier,
    title: str,
    body: str,
    *,
    at: datetime,
    event: Event | None = None,
    attachments: list[dict] | None = None,
) -> list[OutboxMessage]:
    now = timezone.now()
    if dossier.applicant_user_id:
        Notification.objects.create(
            user_id=dossier.applicant_user_id,
            dossier=dossier,
            event=event,
            title=title,
            body=body,
            created_at=now,
        )
    if at < now - NEWS_MAX_AGE:
        return []
    email, phone = _contacts(dossier)
    # A dossier gets its code last in the submission transaction: without it yet, the text
    # is written at delivery, from the event (see `_fill`).
    ready = bool(dossier.code)
    rows = []
    if email:
        rows.append(
            OutboxMessage(
                channel=OutboxMessage.Channel.EMAIL,
                recipient=email,
                subject=title if ready else "",
                body=body if ready else "",
                attachments=attachments or [],
            )
        )
    if phone:
        rows.append(
            OutboxMessage(
                channel=OutboxMessage.Channel.SMS,
                recipient=phone,
                body=sms_text(title, dossier) if ready else "",
            )
        )
    for row in rows:
        row.dossier, row.event, row.created_at = dossier, event, now
    OutboxMessage.objects.bulk_create(rows)
    if rows:
        transaction.on_commit(enqueue_delivery)
    return rows


def enqueue_delivery() -> None:
    """Start a delivery run now unless one is already waiting to start."""
    from .tasks import deliver_outbox_task, enqueue_once

    try:
        enqueue_once(deliver_outbox_task, timezone.now())
    except Exception:  # the periodic run delivers what this one would have
        logger.exception("could not enqueue the outbox delivery")


# ----------------------------------------------------------------------------- delivery


def _due(now: datetime) -> Q:
    failed_due = Q(status=OutboxMessage.Status.FAILED, next_attempt_at__lte=now)
    return Q(status=OutboxMessage.Status.PENDING) | failed_due


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failure, at most BACKOFF_CAP."""
    return min(timedelta(minutes=2 ** (attempts - 1)), BACKOFF_CAP)


def _fill(message: OutboxMessage) -> None:
    if message.body:
        return
    title, body = compose(message.event)
    if message.channel == OutboxMessage.Channel.SMS:
        message.body = sms_text(title, message.dossier)
    else:
        message.subject, message.body = title, body


def _attach_slips(email: EmailMessage, message: OutboxMessage) -> None:
    """The slips the event issued (receipt, supplement request, refusal, apology, stop
    notice) go with the e-mail: for an online dossier that is how the applicant gets them."""
    dossier = message.dossier
    for form in (message.event.documents or []) if message.event_id else []:
        if form in FORMS:
            email.attach(f"{dossier.code}-{form}.pdf", slip_pdf(dossier, form), "application/pdf")


def _attach_documents(email: EmailMessage, message: OutboxMessage) -> None:
    for item in message.attachments or []:
        render = ATTACHMENTS.get(item.get("kind"))
        if render is None:
            raise ValueError(f"no renderer for attachment {item.get('kind')!r}")
        email.attach(*render(item.get("id")))


def _send(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        email = EmailMessage(
            message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient]
        )
        _attach_slips(email, message)
        _attach_documents(email, message)
        email.send()
    elif message.channel == OutboxMessage.Channel.SMS:
        sms_senders.active().send(message.recipient, message.body, reference=f"outbox-{message.pk}")
    else:
        raise ValueError(f"no sender for channel {message.channel}")


def _scrub(error: str, recipient: str) -> str:
    """An error text without the recipient in it (SMTP errors repeat the address)."""
    return error.replace(recipient, mask_phone(recipient) or "***")[:1000] if recipient else error


def deliver_one(pk: int, now: datetime) -> str | None:
    """Send one due message; its new status, or None when another worker holds it or it is
    no longer due. The row stays locked while sending so that no two workers send it."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_due(now), pk=pk)
            .select_related("dossier__procedure", "dossier__agency", "event__dossier__procedure")
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        try:
            _fill(message)
            _send(message)
        except Exception as exc:
            message.status = OutboxMessage.Status.FAILED
            message.last_error = _scrub(f"{type(exc).__name__}: {exc}", message.recipient)
            gave_up = message.attempts >= MAX_ATTEMPTS
            message.next_attempt_at = None if gave_up else now + backoff(message.attempts)
            logger.warning(
                "notification not delivered",
                extra={
                    "outbox_id": message.pk,
                    "channel": message.channel,
                    "attempts": message.attempts,
                    "gave_up": gave_up,
                },
            )
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at, message.next_attempt_at, message.last_error = now, None, ""
        message.save()
        return message.status


def deliver_outbox(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Deliver the pending messages and the failed ones whose retry is due."""
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.filter(_due(now)).order_by("id").values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "failed": 0}
    for pk in ids:
        status = deliver_one(pk, now)
        if status in counts:
            counts[status] += 1
    return counts


def next_retry_at() -> datetime | None:
    """When the earliest failed message is due to be tried again."""
    return (
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.FAILED, next_attempt_at__isnull=False
        )
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
