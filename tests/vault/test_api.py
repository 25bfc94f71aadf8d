"""The vault API (api.md "Vault and results") and who may see what."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.vault.models import DocumentRead, Source, VaultDocument
from tests.dossiers.factories import PDF_BYTES, officer, sign_in

from .helpers import returned

pytestmark = pytest.mark.django_db
API = "/api/v1"


def client_for(user) -> Client:
    return sign_in(Client(), user)


def upload(client, data=PDF_BYTES, name="cccd.pdf") -> str:
    response = client.post(f"{API}/files", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def add(client, **extra):
    body = {"file_id": upload(client), "kind": "identity", "title": "Căn cước công dân"} | extra
    return client.post(f"{API}/vault/documents", body, content_type="application/json")


def test_add_list_get_download_and_delete(w):
    citizen = client_for(w.citizen)
    response = add(citizen, issuer="Bộ Công an", issued_on="2024-01-02", expires_on="2039-01-02")
    assert response.status_code == 201, response.content
    doc = response.json()
    assert (doc["kind"], doc["source"], doc["expired"], doc["hidden"]) == (
        "identity",
        "upload",
        False,
        False,
    )
    assert doc["file"]["sha256"] and doc["file"]["content_type"] == "application/pdf"
    page = citizen.get(f"{API}/vault/documents").json()
    assert (page["total"], page["items"][0]["id"]) == (1, doc["id"])
    assert citizen.get(f"{API}/vault/documents/{doc['id']}").json()["title"] == "Căn cước công dân"
    download = citizen.get(doc["file"]["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Cache-Control"] == "private, no-store"
    assert citizen.delete(f"{API}/vault/documents/{doc['id']}").json() == {"done": "deleted"}
    assert citizen.get(f"{API}/vault/documents/{doc['id']}").status_code == 404


def test_validation_and_idempotency(w):
    citizen = client_for(w.citizen)
    assert add(citizen, kind="result").status_code == 422
    response = add(citizen, issued_on="2024-01-02", expires_on="2020-01-01")
    assert response.json()["error"]["fields"]["expires_on"]
    file_id = upload(citizen)
    body = {"file_id": file_id, "kind": "other", "title": "Bằng tốt nghiệp"}
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    first = citizen.post(f"{API}/vault/documents", body, content_type="application/json", **key)
    again = citizen.post(f"{API}/vault/documents", body, content_type="application/json", **key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert VaultDocument.objects.filter(owner=w.citizen).count() == 1
    other = body | {"title": "Khác"}
    reused = citizen.post(f"{API}/vault/documents", other, content_type="application/json", **key)
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    # A file already kept cannot be kept twice; someone else's file is not found.
    assert add(citizen, file_id=file_id).status_code == 422
    theirs = upload(client_for(w.other_citizen))
    assert add(citizen, file_id=theirs).json()["error"]["fields"]["file_id"]


def test_an_electronic_return_puts_the_signed_result_in_the_vault(w, result_pdf):
    d = returned(w, result_pdf)
    document = VaultDocument.objects.get(owner=w.citizen)
    assert (document.source, document.kind, document.dossier, document.file_id) == (
        Source.RESULT,
        "result",
        d,
        d.result_file_id,
    )
    assert document.issuer == w.home.name and document.title == w.procedure.name
    body = client_for(w.citizen).get(f"{API}/vault/documents/{document.pk}").json()
    assert body["dossier_code"] == d.code
    assert body["verify_url"].startswith("https://dichvucong.example.gov.vn/verify/")
    # An agency's result is hidden, never deleted.
    citizen = client_for(w.citizen)
    assert citizen.delete(f"{API}/vault/documents/{document.pk}").json() == {"done": "hidden"}
    assert citizen.get(f"{API}/vault/documents").json()["total"] == 0
    assert citizen.get(f"{API}/vault/documents?hidden=true").json()["total"] == 1


def test_a_counter_return_lands_when_the_applicant_has_an_account(w, result_pdf):
    returned(w, result_pdf, delivery="counter")
    assert VaultDocument.objects.filter(owner=w.citizen, source=Source.RESULT).count() == 1


def test_cross_owner_matrix(w, result_pdf):
    """Every vault and share endpoint: 404 to another citizen and to an officer of an agency
    with no dossier using the document."""
    returned(w, result_pdf)
    result = VaultDocument.objects.get(owner=w.citizen)
    mine = add(client_for(w.citizen)).json()["id"]
    share = (
        client_for(w.citizen)
        .post(
            f"{API}/vault/documents/{mine}/shares",
            {"expires_in_hours": 2},
            content_type="application/json",
        )
        .json()
    )
    stranger_agency = w.partner.__class__.objects.create(
        code="000.00.99.H26", name="UBND xã Khác", level="commune"
    )
    strangers = [w.other_citizen, officer(stranger_agency, "reception", "leader")]
    for who in strangers:
        client = client_for(who)
        for pk in (mine, result.pk):
            assert client.get(f"{API}/vault/documents/{pk}").status_code == 404
            assert client.get(f"{API}/vault/documents/{pk}/file").status_code == 404
            assert client.delete(f"{API}/vault/documents/{pk}").status_code == 404
            assert client.get(f"{API}/vault/documents/{pk}/shares").status_code == 404
            response = client.post(
                f"{API}/vault/documents/{pk}/shares",
                {"expires_in_hours": 2},
                content_type="application/json",
            )
            assert response.status_code == 404
        assert client.delete(f"{API}/vault/shares/{share['token']}").status_code == 404
        assert client.get(f"{API}/vault/documents").json()["total"] == 0
        assert client.get(f"{API}/vault/access-log").json()["total"] == 0
    assert VaultDocument.objects.filter(hidden=True).count() == 0
    # The officers of the agency whose dossier holds the result may read it, and it is logged.
    assert client_for(w.reception).get(f"{API}/vault/documents/{result.pk}").status_code == 200
    assert client_for(w.reception).get(f"{API}/vault/documents/{mine}").status_code == 404
    assert DocumentRead.objects.filter(document=result, user=w.reception).count() == 1


def test_anonymous_is_401(db):
    assert Client().get(f"{API}/vault/documents").status_code == 401
    assert Client().get(f"{API}/vault/access-log").status_code == 401
