"""The in-portal notification centre, shared by the API and the portal pages: a user's
notifications, how many are unread, and marking them read (a user's own rows only)."""

from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.errors import NotFound
from motcua.core.messaging import mask_recipient

from .models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    """The user's notifications, newest first (served by the `notification_inbox` index)."""
    return (
        Notification.objects.filter(user=user)
        .select_related("dossier")
        .order_by("-created_at", "-id")
    )


def note_contact_change(user, channel: str, new: str) -> None:
    """Keep a note that the account's phone ("sms") or e-mail address changed (the receiver of
    accounts' `contact_changed`, in the transaction of the change)."""
    # In Vietnamese, as the notification centre keeps every note.
    what = "số điện thoại" if channel == "sms" else "thư điện tử"
    Notification.objects.create(
        user=user,
        title=f"Đã đổi {what} của tài khoản",
        body=f"Từ nay {what} của tài khoản là {mask_recipient(new)}.",
        created_at=timezone.now(),
    )


def unread_count(user) -> int:
    """One query; 0 for anonymous visitors (no query at all)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, notification_id, *, now=None) -> Notification:
    """Mark one of the user's notifications read (again is harmless); NotFound otherwise."""
    notification = notifications_of(user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("Không tìm thấy thông báo.")
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user, *, dossier=None, now=None) -> int:
    """Mark the user's unread notifications read (only those of one dossier when given)."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if dossier is not None:
        rows = rows.filter(dossier=dossier)
    return rows.update(read_at=now or timezone.now())
