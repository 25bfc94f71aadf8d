"""The notification centre API: the signed-in user's own notifications only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers.services import perform
from motcua.integrations.models import Notification
from tests.dossiers.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(w):
    d = submit(w, timezone.now() - timedelta(minutes=5))
    perform(d, "receive", w.reception, now=timezone.now())
    return d


def test_my_notifications_newest_first_with_the_unread_count(w, news, client):
    client.force_login(w.citizen)
    body = client.get("/api/v1/notifications").json()
    assert body["total"] == 2 and body["unread"] == 2
    first = body["items"][0]
    assert first["title"] == f"Hồ sơ {news.code} đã được tiếp nhận"
    assert first["dossier_code"] == news.code and first["read_at"] is None

    response = client.post(f"/api/v1/notifications/{first['id']}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    body = client.get("/api/v1/notifications?unread=true").json()
    assert body["total"] == 1 and body["unread"] == 1
    assert client.post("/api/v1/notifications/read-all").json() == {"updated": 1}
    assert client.get("/api/v1/notifications").json()["unread"] == 0


def test_someone_elses_notification_is_404(w, news, client):
    client.force_login(w.other_citizen)
    assert client.get("/api/v1/notifications").json()["total"] == 0
    theirs = Notification.objects.filter(user=w.citizen).first()
    response = client.post(f"/api/v1/notifications/{theirs.pk}/read")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.post("/api/v1/notifications/read-all").json() == {"updated": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_401(client):
    assert client.get("/api/v1/notifications").status_code == 401
