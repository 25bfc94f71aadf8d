"""`/verify/{token}`: the public page and API a result's QR code opens, and the check of an
uploaded PDF itself."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.vault.models import SignedResult

from .helpers import file_bytes, finished

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_the_api_says_valid_and_what_the_result_is(w, result_pdf):
    d = finished(w, result_pdf)
    token = SignedResult.objects.get(dossier=d).token
    body = Client().get(f"{API}/verify/{token}").json()
    assert body["valid"] is True and body["reason"] == ""
    assert body["dossier_code"] == d.code
    assert body["procedure"] == w.procedure.name
    assert body["agency"] == w.home.name
    assert body["signer"] == "UBND phường Phúc Yên"
    assert body["issued_at"] == "2026-11-17T09:00:00+07:00"
    # Never the applicant's personal data.
    text = str(body)
    for personal in (w.citizen.full_name, w.citizen.id_number, "0912345678", "Phúc Yên, Phú Thọ"):
        assert personal not in text


def test_an_unknown_token_is_404(db):
    assert Client().get(f"{API}/verify/khong-co").status_code == 404
    assert Client().get("/verify/khong-co").status_code == 404


def test_a_stored_file_changed_after_signing_is_not_valid(w, result_pdf):
    d = finished(w, result_pdf)
    sealed = SignedResult.objects.get(dossier=d)
    data = bytearray(file_bytes(sealed.signed_file))
    data[len(result_pdf) // 3] ^= 0x01
    with sealed.signed_file.file.open("wb") as handle:
        handle.write(bytes(data))
    body = Client().get(f"{API}/verify/{sealed.token}").json()
    assert body["valid"] is False
    assert body["reason"] == "Nội dung tệp đã bị thay đổi sau khi ký."
    page = Client().get(f"/verify/{sealed.token}")
    assert "Chữ ký số không hợp lệ" in page.content.decode()


def test_the_page_shows_the_verdict(w, result_pdf):
    d = finished(w, result_pdf)
    token = SignedResult.objects.get(dossier=d).token
    page = Client().get(f"/verify/{token}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Chữ ký số hợp lệ" in html and d.code in html and w.procedure.name in html
    assert w.citizen.full_name not in html


def _upload(client, url, data, name="ket-qua.pdf"):
    return client.post(url, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def test_uploading_checks_that_file(w, result_pdf):
    signed = file_bytes(finished(w, result_pdf).result_file)
    client = Client()
    body = _upload(client, f"{API}/verify", signed).json()
    assert body["valid"] is True and body["dossier_code"].startswith(w.home.code)
    bad = bytearray(signed)
    bad[len(result_pdf) // 2] ^= 0x01
    body = _upload(client, f"{API}/verify", bytes(bad)).json()
    assert body["valid"] is False and body["reason"] == "Nội dung tệp đã bị thay đổi sau khi ký."
    assert body["dossier_code"] == ""
    html = _upload(client, "/verify/", bytes(bad)).content.decode()
    assert "Chữ ký số không hợp lệ" in html and "Nội dung tệp đã bị thay đổi sau khi ký." in html
    html = _upload(client, "/verify/", signed).content.decode()
    assert "Chữ ký số hợp lệ" in html


def test_an_unsigned_pdf_and_a_non_pdf(result_pdf, db):
    client = Client()
    body = _upload(client, f"{API}/verify", result_pdf).json()
    assert body["valid"] is False and body["reason"] == "Tệp không có chữ ký số."
    response = _upload(client, f"{API}/verify", b"MZ\x90\x00", name="x.pdf")
    assert response.status_code == 415
    html = _upload(client, "/verify/", b"MZ\x90\x00", name="x.pdf").content.decode()
    assert "Chỉ kiểm tra được tệp PDF." in html
