"""Who gets into the back office, and who sees which dossier (404, never a leak)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import AccessLog
from tests.dossiers import factories

INBOX = "/mot-cua/"


def test_anonymous_is_sent_to_the_sign_in_page(client, db):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith("/mot-cua/dang-nhap/?next=")


def test_a_citizen_cannot_enter(as_user, w):
    client = as_user(w.citizen)
    for url in (INBOX, "/mot-cua/tiep-nhan/"):
        response = client.get(url)
        assert response.status_code == 403
        html = response.content.decode()
        assert "Không có quyền truy cập" in html
        assert "Tiếp nhận tại quầy" not in html  # no back-office links, only signing out
        assert "/mot-cua/dang-xuat/" in html


def test_a_citizen_cannot_sign_in_with_the_officer_form(client, w):
    w.citizen.set_password("mat-khau-dai-123")
    w.citizen.save()
    response = client.post(
        "/mot-cua/dang-nhap/",
        {"username": w.citizen.username, "password": "mat-khau-dai-123"},
    )
    assert response.status_code == 200
    assert "không phải tài khoản cán bộ" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_officer_signs_in_and_out(client, w):
    w.reception.set_password("mat-khau-dai-123")
    w.reception.save()
    page = client.get("/mot-cua/dang-nhap/")
    assert page.status_code == 200
    assert "Tên đăng nhập" in page.content.decode()
    response = client.post(
        "/mot-cua/dang-nhap/",
        {"username": w.reception.username, "password": "mat-khau-dai-123"},
    )
    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert client.get(INBOX).status_code == 200
    response = client.post("/mot-cua/dang-xuat/")
    assert response.status_code == 302
    assert client.get(INBOX).status_code == 302


def test_wrong_password_is_refused_in_vietnamese(client, w):
    response = client.post(
        "/mot-cua/dang-nhap/", {"username": w.reception.username, "password": "sai-mat-khau"}
    )
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


@pytest.fixture
def dossier(w):
    return factories.counter(w, timezone.now())


def test_an_officer_of_another_agency_gets_404_everywhere(as_user, w, dossier):
    client = as_user(w.outsider)
    file_id = dossier.components.first().file_id
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/").status_code == 404
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/tep/{file_id}/").status_code == 404
    response = client.post(
        f"/mot-cua/ho-so/{dossier.code}/thao-tac/forward/", {"forward-to_step": w.steps[1].pk}
    )
    assert response.status_code == 404
    # Nor does the inbox list it.
    assert dossier.code not in client.get(INBOX + "?tab=tat-ca").content.decode()


def test_an_unknown_code_is_the_same_404(as_user, w):
    assert as_user(w.reception).get("/mot-cua/ho-so/000.00.31.H26-260101-9999/").status_code == 404


def test_the_agencys_officer_reads_a_component_through_the_checked_view(as_user, w, dossier):
    client = as_user(w.specialist)
    component = dossier.components.first()
    url = reverse("backoffice:file", args=[dossier.code, component.file_id])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    download = client.get(url + "?tai-ve=1")
    assert download["Content-Disposition"].startswith("attachment")
    assert AccessLog.objects.filter(dossier=dossier, user=w.specialist).count() == 2


def test_a_file_of_another_dossier_is_not_served_under_this_code(as_user, w, dossier):
    other = factories.counter(w, timezone.now())
    foreign = other.components.first().file_id
    url = reverse("backoffice:file", args=[dossier.code, foreign])
    assert as_user(w.reception).get(url).status_code == 404


def test_reading_a_dossier_is_logged_for_the_citizen(as_user, w, dossier):
    as_user(w.head).get(f"/mot-cua/ho-so/{dossier.code}/")
    log = AccessLog.objects.get(dossier=dossier, user=w.head)
    assert log.agency_id == w.home.pk
    assert log.role == "head"
