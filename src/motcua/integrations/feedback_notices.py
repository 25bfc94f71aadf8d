"""Telling the submitter of feedback (phản ánh, kiến nghị) what happened to it.

`notify_feedback_change(event)` is a receiver of `feedback.hooks.feedback_changed`, called in
the transaction that wrote the history entry: it writes the in-portal `Notification` (a
signed-in submitter) and an `OutboxMessage` per contact (e-mail, SMS) in that transaction,
delivered after commit by the same outbox as the dossiers' news (`notifications.py`).
"""

from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from unidecode import unidecode

from motcua.feedback.models import FeedbackEvent, RefusalReason

from .models import Notification, OutboxMessage
from .notifications import NEWS_MAX_AGE, enqueue_delivery

# What each officer's action means to the submitter (their own actions are not news).
NEWS = {
    "submit": "đã được tiếp nhận",
    "accept": "đang được xử lý",
    "ask_info": "cần bạn bổ sung thông tin",
    "answer": "đã có trả lời",
    "publish": "đã được công khai kết quả trả lời",
    "refuse": "không được tiếp nhận xử lý",
    "transfer": "đã được chuyển tới cơ quan có thẩm quyền",
}


def page_url(feedback_id: int) -> str:
    path = f"/phan-anh/{feedback_id}/"
    return urljoin(settings.PUBLIC_BASE_URL, path) if settings.PUBLIC_BASE_URL else path


def compose(event: FeedbackEvent) -> tuple[str, str]:
    """(title, body) of the news, in Vietnamese; never the internal note."""
    fb = event.feedback
    title = f"Phản ánh, kiến nghị số {fb.pk} {NEWS[event.action]}"
    lines = [f"{title}.", f"Tiêu đề: {fb.title}.", f"Cơ quan xử lý: {fb.agency.name}."]
    if event.action == "ask_info" and event.note:
        lines.append(f"Thông tin cần bổ sung: {event.note}")
    if event.action == "answer":
        lines.append(f"Nội dung trả lời: {fb.answer}")
    if event.action == "refuse" and fb.refusal_reason:
        lines.append(f"Lý do: {RefusalReason(fb.refusal_reason).label}.")
    if event.action in ("submit", "accept", "transfer") and fb.due_at:
        lines.append(f"Hạn xử lý: {timezone.localtime(fb.due_at):%H:%M ngày %d/%m/%Y}.")
    if fb.submitter_id:
        lines.append(f"Xem chi tiết: {page_url(fb.pk)}")
    return title[:255], "\n".join(lines)


def notify_feedback_change(event: FeedbackEvent) -> list[OutboxMessage]:
    """Tell the submitter about `event`, in the caller's transaction; the outbox rows."""
    if event.action not in NEWS:
        return []
    fb = event.feedback
    title, body = compose(event)
    now = timezone.now()
    user = fb.submitter
    if user is not None:
        Notification.objects.create(user=user, title=title, body=body, created_at=now)
    if event.at < now - NEWS_MAX_AGE:  # a replayed history (demo data) is not news
        return []
    email = user.email if user is not None else fb.contact_email
    phone = getattr(user, "phone", "") if user is not None else fb.contact_phone
    rows = []
    if email:
        rows.append(OutboxMessage(channel="email", recipient=email, subject=title, body=body))
    if phone:
        # Without diacritics: a Vietnamese SMS with them fits 70 characters instead of 160.
        rows.append(OutboxMessage(channel="sms", recipient=phone, body=unidecode(title)))
    for row in rows:
        row.dossier, row.created_at = fb.dossier, now
    OutboxMessage.objects.bulk_create(rows)
    if rows:
        transaction.on_commit(enqueue_delivery)
    return rows
