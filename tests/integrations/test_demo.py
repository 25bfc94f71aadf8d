"""The demo's year of history reaches the notification centre as old news, already read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.integrations import demo, inbox
from motcua.integrations.models import Notification
from tests.dossiers.factories import submit

pytestmark = pytest.mark.django_db


def test_seeded_history_is_read_at_its_own_time_and_news_stays_unread(w):
    last_year = timezone.now() - timedelta(days=200)
    old = submit(w, last_year)
    fresh = submit(w, timezone.now())
    assert inbox.unread_count(w.citizen) == 2

    demo.seed()

    kept = Notification.objects.get(dossier=old)
    assert kept.read_at == kept.created_at == last_year
    assert Notification.objects.get(dossier=fresh).read_at is None
    assert inbox.unread_count(w.citizen) == 1
    # Newest first: today's news above last year's history.
    assert [n.dossier for n in inbox.notifications_of(w.citizen)] == [fresh, old]
    assert demo.read_replayed_history() == 0  # a second seed changes nothing
