"""Sharing a vault document: a link until expiry or revocation (410 after), every access
logged, and "who looked at my data"."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from motcua.dossiers.queries import record_officer_read
from motcua.vault import services
from motcua.vault.models import ShareAccess, VaultDocument

from .helpers import returned
from .test_api import API, add, client_for

pytestmark = pytest.mark.django_db


def share(client, pk, hours=2):
    return client.post(
        f"{API}/vault/documents/{pk}/shares",
        {"expires_in_hours": hours},
        content_type="application/json",
    )


def test_a_share_serves_until_revoked_then_410(w):
    citizen = client_for(w.citizen)
    pk = add(citizen).json()["id"]
    made = share(citizen, pk).json()
    assert made["url"].endswith(f"/shared/{made['token']}")
    anonymous = Client(HTTP_USER_AGENT="Trình duyệt thử", REMOTE_ADDR="203.0.113.77")
    for url in (f"/shared/{made['token']}", f"{API}/shared/{made['token']}"):
        response = anonymous.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    access = ShareAccess.objects.order_by("at").first()
    assert (access.ip_prefix, access.user_agent) == ("203.0.113.0/24", "Trình duyệt thử")
    listed = citizen.get(f"{API}/vault/documents/{pk}/shares").json()
    assert [s["token"] for s in listed] == [made["token"]]
    revoked = citizen.delete(f"{API}/vault/shares/{made['token']}").json()
    assert revoked["revoked_at"]
    assert anonymous.get(f"/shared/{made['token']}").status_code == 410
    body = anonymous.get(f"{API}/shared/{made['token']}").json()
    assert body["error"]["code"] == "gone"
    assert anonymous.get(f"{API}/shared/nothing").status_code == 404
    assert ShareAccess.objects.count() == 2  # refusals are not accesses


def test_a_share_expires(w):
    citizen = client_for(w.citizen)
    pk = add(citizen).json()["id"]
    token = share(citizen, pk, hours=1).json()["token"]
    later = timezone.now() + timedelta(hours=1, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert Client().get(f"/shared/{token}").status_code == 410


@pytest.mark.parametrize("hours", [0, 721, -3])
def test_the_expiry_is_1_hour_to_30_days(w, hours):
    citizen = client_for(w.citizen)
    pk = add(citizen).json()["id"]
    assert share(citizen, pk, hours).status_code == 422
    assert share(citizen, pk, 720).status_code == 201


def test_the_access_log_merges_officer_reads_and_share_accesses(w, result_pdf):
    d = returned(w, result_pdf)
    record_officer_read(w.specialist, d, "Xem hồ sơ để thẩm định")
    result = VaultDocument.objects.get(owner=w.citizen)
    services.readable(w.reception, result.pk)
    citizen = client_for(w.citizen)
    token = share(citizen, result.pk).json()["token"]
    Client(REMOTE_ADDR="198.51.100.9").get(f"/shared/{token}")
    log = citizen.get(f"{API}/vault/access-log").json()
    assert log["total"] == 3
    kinds = [item["kind"] for item in log["items"]]
    assert kinds == ["share", "document", "dossier"]  # newest first
    dossier_read = log["items"][2]
    assert dossier_read["who"] == f"{w.home.name} — Chuyên viên"
    assert (
        dossier_read["what"] == f"Hồ sơ {d.code}"
        and dossier_read["why"] == "Xem hồ sơ để thẩm định"
    )
    assert w.specialist.full_name not in str(log)  # an agency and a role, never a bare name
    assert "198.51.100.0/24" in log["items"][0]["who"]
    only = citizen.get(f"{API}/vault/access-log?kind=share&page_size=1").json()
    assert (only["total"], len(only["items"])) == (1, 1)
    second = citizen.get(f"{API}/vault/access-log?page=2&page_size=2").json()
    assert [i["kind"] for i in second["items"]] == ["dossier"]
    page = citizen.get("/kho-du-lieu/nhat-ky-truy-cap/").content.decode()
    assert "Ai đã xem dữ liệu của tôi" in page and d.code in page
