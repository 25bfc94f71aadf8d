"""The admin shows feedback and its history read-only."""

import pytest

from motcua.core.models import User

from . import factories as ff

pytestmark = pytest.mark.django_db


def test_the_admin_shows_feedback_read_only(client):
    w = ff.world()
    fb = ff.act(w, ff.submit(w), "accept")
    admin = User.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-quan-tri-1")
    client.force_login(admin)
    assert client.get("/admin/feedback/feedback/").status_code == 200
    page = client.get(f"/admin/feedback/feedback/{fb.pk}/change/")
    assert page.status_code == 200 and "accept" in page.content.decode()
    assert client.get("/admin/feedback/feedback/add/").status_code == 403
