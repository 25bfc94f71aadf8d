"""The in-portal notification centre: the signed-in user's notifications, newest first."""

from datetime import datetime

from django.utils import timezone
from ninja import Query, Router, Schema

from motcua.core.api.auth import api_auth
from motcua.core.api.errors import ErrorOut
from motcua.core.api.pagination import Page, PageParams, paginate

from . import inbox
from .models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    dossier_code: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationOut]):
    unread: int


class ReadAllOut(Schema):
    updated: int


def _out(n: Notification) -> dict:
    return {
        "id": n.pk,
        "title": n.title,
        "body": n.body,
        "dossier_code": n.dossier.code if n.dossier_id else None,
        "created_at": timezone.localtime(n.created_at),
        "read_at": timezone.localtime(n.read_at) if n.read_at else None,
    }


@router.get(
    "",
    auth=api_auth,
    response={200: NotificationPage, 401: ErrorOut},
    summary="My notifications, newest first, with the number unread",
)
def list_notifications(request, params: Query[PageParams], unread: bool = False):
    rows = inbox.notifications_of(request.auth)
    page = paginate(rows.filter(read_at__isnull=True) if unread else rows, params, _out)
    return page | {"unread": inbox.unread_count(request.auth)}


@router.post(
    "/{notification_id}/read",
    auth=api_auth,
    response={200: NotificationOut, 401: ErrorOut, 404: ErrorOut},
    summary="Mark one of my notifications read",
)
def read_notification(request, notification_id: int):
    return _out(inbox.mark_read(request.auth, notification_id))


@router.post(
    "/read-all",
    auth=api_auth,
    response={200: ReadAllOut, 401: ErrorOut},
    summary="Mark all my notifications read",
)
def read_all_notifications(request):
    return {"updated": inbox.mark_all_read(request.auth)}
