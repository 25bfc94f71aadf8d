"""Demo feedback: a year of it in every status, with late verdicts, likes and dislikes and
reopened answers; and the public pages never show the demo submitters' personal data."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.catalog import demo as catalog_demo
from motcua.feedback import demo
from motcua.feedback.models import Feedback, FeedbackDeadline, FeedbackStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    catalog_demo.seed()
    demo.seed(timezone.now())


def test_a_year_of_feedback_in_every_status_and_idempotent(seeded):
    rows = Feedback.objects.all()
    assert set(rows.values_list("status", flat=True)) == set(FeedbackStatus.values)
    assert timezone.now() - rows.order_by("received_at").first().received_at > timedelta(days=300)
    assert rows.filter(reaction="like").exists() and rows.filter(reaction="dislike").exists()
    assert rows.filter(reopen_count=1).exists()
    assert rows.filter(submitter__isnull=True).exists()
    assert FeedbackDeadline.objects.filter(verdict="overdue").exists()
    assert FeedbackDeadline.objects.filter(verdict="on_time").exists()
    assert rows.filter(overdue=True, status="processing").exists()
    count = rows.count()
    assert demo.seed() == {} and Feedback.objects.count() == count


def test_the_public_pages_never_show_the_demo_submitters_data(client, seeded):
    published = Feedback.objects.filter(status="published", is_public=True)
    assert published.exists()
    pages = []
    listing = client.get("/phan-anh/")
    pages.append(listing.content.decode())
    number = 2
    while f"page={number}" in pages[-1]:
        pages.append(client.get("/phan-anh/", {"page": number}).content.decode())
        number += 1
    for fb in published:
        pages.append(client.get(f"/phan-anh/{fb.pk}/").content.decode())
    pages.append(client.get("/api/v1/feedback/public", {"page_size": 100}).content.decode())
    text = "\n".join(pages)
    assert "Kết quả trả lời" in text
    people = get_user_model().objects.filter(feedback__isnull=False).distinct()
    personal = [v for p in people for v in (p.full_name, p.id_number, p.phone, p.email) if v]
    personal += [v for f in Feedback.objects.all() for v in (f.contact_phone, f.contact_email) if v]
    assert personal
    assert [value for value in personal if value in text] == []
