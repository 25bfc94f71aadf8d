"""The vault pages ("Kho dữ liệu của tôi"), without JavaScript: plain forms and links."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.vault.models import Share, ShareAccess, VaultDocument
from tests.dossiers.factories import PDF_BYTES

from .helpers import returned
from .test_api import client_for

pytestmark = pytest.mark.django_db


def test_the_vault_needs_a_sign_in(db):
    response = Client().get("/kho-du-lieu/")
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]


def test_upload_list_view_share_revoke_delete(w):
    citizen = client_for(w.citizen)
    assert "Kho dữ liệu chưa có giấy tờ nào." in citizen.get("/kho-du-lieu/").content.decode()
    form = {
        "file": SimpleUploadedFile("bang.pdf", PDF_BYTES),
        "kind": "certificate",
        "title": "Bằng tốt nghiệp đại học",
        "issuer": "Đại học Đà Nẵng",
        "issued_on": "2020-06-30",
        "expires_on": "",
    }
    response = citizen.post("/kho-du-lieu/tai-len/", form)
    assert response.status_code == 302
    document = VaultDocument.objects.get(owner=w.citizen)
    assert document.file.attached and document.issuer == "Đại học Đà Nẵng"
    html = citizen.get("/kho-du-lieu/").content.decode()
    assert "Bằng tốt nghiệp đại học" in html and "Văn bằng, chứng chỉ" in html
    page = citizen.get(f"/kho-du-lieu/{document.pk}/").content.decode()
    assert "Tạo liên kết chia sẻ" in page and "Xóa giấy tờ" in page
    download = citizen.get(f"/kho-du-lieu/{document.pk}/tep/")
    assert b"".join(download.streaming_content) == PDF_BYTES

    response = citizen.post(f"/kho-du-lieu/{document.pk}/chia-se/", {"hours": "24"}, follow=True)
    share = Share.objects.get(document=document)
    assert f"/shared/{share.token}" in response.content.decode()
    assert Client().get(f"/shared/{share.token}").status_code == 200
    citizen.post(f"/kho-du-lieu/chia-se/{share.token}/thu-hoi/")
    assert Client().get(f"/shared/{share.token}").status_code == 410
    page = citizen.get(f"/kho-du-lieu/{document.pk}/").content.decode()
    assert "Đã thu hồi" in page
    assert ShareAccess.objects.filter(share=share).count() == 1

    citizen.post(f"/kho-du-lieu/{document.pk}/xoa/")
    assert not VaultDocument.objects.exists()


def test_a_bad_upload_is_refused_with_its_reason(w):
    citizen = client_for(w.citizen)
    form = {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00"), "kind": "other", "title": "X"}
    html = citizen.post("/kho-du-lieu/tai-len/", form).content.decode()
    assert "Chỉ nhận tệp PDF" in html
    assert not VaultDocument.objects.exists()


def test_a_result_is_hidden_not_deleted_and_the_dossier_page_links_to_it(w, result_pdf):
    d = returned(w, result_pdf)
    citizen = client_for(w.citizen)
    document = VaultDocument.objects.get(owner=w.citizen)
    dossier_page = citizen.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert f"/kho-du-lieu/{document.pk}/" in dossier_page and "/verify/" in dossier_page
    page = citizen.get(f"/kho-du-lieu/{document.pk}/").content.decode()
    assert "Ẩn kết quả" in page and "Xóa giấy tờ" not in page and "Kiểm tra chữ ký số" in page
    citizen.post(f"/kho-du-lieu/{document.pk}/xoa/")
    document.refresh_from_db()
    assert document.hidden
    assert w.procedure.name not in citizen.get("/kho-du-lieu/").content.decode()
    assert w.procedure.name in citizen.get("/kho-du-lieu/?an=1").content.decode()
    citizen.post(f"/kho-du-lieu/{document.pk}/xoa/", {"hien": "1"})
    document.refresh_from_db()
    assert not document.hidden


def test_someone_elses_document_is_404_on_every_page(w, result_pdf):
    returned(w, result_pdf)
    document = VaultDocument.objects.get(owner=w.citizen)
    share = Share.objects.create(
        token="t", document=document, created_at=document.created_at, expires_at=document.created_at
    )
    other = client_for(w.other_citizen)
    for url in (f"/kho-du-lieu/{document.pk}/", f"/kho-du-lieu/{document.pk}/tep/"):
        assert other.get(url).status_code == 404
    for url in (
        f"/kho-du-lieu/{document.pk}/xoa/",
        f"/kho-du-lieu/{document.pk}/chia-se/",
        f"/kho-du-lieu/chia-se/{share.token}/thu-hoi/",
    ):
        assert other.post(url, {"hours": "1"}).status_code == 404
    document.refresh_from_db()
    assert not document.hidden
