from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.catalog import demo as catalog_demo
from motcua.dossiers import demo
from motcua.dossiers.models import Dossier, Event, Status

pytestmark = pytest.mark.django_db


def test_demo_has_every_status_over_the_past_year_and_is_idempotent(monkeypatch):
    monkeypatch.setattr(demo, "TOTAL", 40)
    monkeypatch.setattr(demo, "RECENT", 10)
    catalog_demo.seed()
    now = timezone.now()
    printed = demo.seed(now)
    assert [h["full_name"] for h in printed["helpers"]] == ["Lý Văn Hải"]
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert statuses == set(Status.values) - {Status.DRAFT}
    first = Dossier.objects.order_by("submitted_at").first().submitted_at
    assert now - first > timedelta(days=300)
    assert Dossier.objects.filter(channel="online").exists()
    assert Dossier.objects.filter(channel="counter").exists()
    assert Dossier.objects.values("procedure").distinct().count() > 5
    call_command("verify_events")
    counts = (Dossier.objects.count(), Event.objects.count())
    assert demo.seed(now) == printed
    assert (Dossier.objects.count(), Event.objects.count()) == counts
