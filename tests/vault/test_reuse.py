"""A new dossier takes a component from the vault instead of an upload: flagged `reused`,
someone else's or an expired document is 404, the file stays the vault's."""

import pytest
from django.test import Client

from motcua.catalog.models import ComponentSpec
from motcua.core.errors import NotFound
from motcua.dossiers import drafts, services
from motcua.dossiers.models import DossierComponent, StoredFile
from motcua.vault.models import VaultDocument
from tests.dossiers import factories
from tests.dossiers.factories import local, upload

from .helpers import returned
from .test_api import API, client_for

pytestmark = pytest.mark.django_db
LATER = local(2026, 11, 20, 9)


def _body(w, components):
    return {
        "procedure": w.procedure.code,
        "agency": w.home.code,
        "form": {"child_name": "Nguyễn Văn Con"},
        "components": components,
        "applicant": {"phone": "0912345678", "address": "Phúc Yên"},
    }


def test_the_signed_result_is_reused_in_a_new_dossier_through_the_api(w, result_pdf):
    returned(w, result_pdf)
    document = VaultDocument.objects.get(owner=w.citizen)
    citizen = client_for(w.citizen)
    components = [{"spec_id": w.specs[0].pk, "vault_document_id": document.pk}] + [
        {"spec_id": spec.pk, "file_id": str(upload(w.citizen).pk)} for spec in w.specs[1:]
    ]
    files_before = StoredFile.objects.count()
    response = citizen.post(
        f"{API}/dossiers", _body(w, components), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    by_spec = {c["spec_id"]: c for c in response.json()["components"]}
    assert by_spec[w.specs[0].pk]["reused"] is True
    assert all(not by_spec[s.pk]["reused"] for s in w.specs[1:])
    component = DossierComponent.objects.get(spec=w.specs[0], reused=True)
    assert component.file_id == document.file_id  # no upload, no copy
    assert StoredFile.objects.count() == files_before


def test_someone_elses_or_an_expired_document_is_404(w, result_pdf):
    returned(w, result_pdf)
    theirs = VaultDocument.objects.get(owner=w.citizen)
    other = client_for(w.other_citizen)
    components = [{"spec_id": w.specs[0].pk, "vault_document_id": theirs.pk}]
    response = other.post(f"{API}/dossiers", _body(w, components), content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    VaultDocument.objects.filter(pk=theirs.pk).update(expires_on=local(2020, 1, 1).date())
    with pytest.raises(NotFound):
        services.submit_online(
            applicant_user=w.citizen,
            procedure=w.procedure.code,
            agency=w.home.code,
            form={"child_name": "A"},
            components=components,
        )


def test_the_submission_page_offers_matching_documents_and_takes_one(w, result_pdf):
    returned(w, result_pdf)
    result = VaultDocument.objects.get(owner=w.citizen)
    spec = ComponentSpec.objects.get(pk=w.specs[0].pk)
    spec.document_kind = "result"
    spec.save()  # the kept procedure versions forget it (post_save)
    draft = drafts.start(w.citizen, w.procedure.code, w.home.code)
    citizen = client_for(w.citizen)
    url = f"/nop-ho-so/{draft.pk}/giay-to/"
    html = citizen.get(url).content.decode()
    assert "Hoặc dùng giấy tờ có sẵn trong kho dữ liệu" in html and result.title in html
    response = citizen.post(url, {"spec": w.specs[0].pk, "vault_document": result.pk})
    assert response.status_code == 302
    component = draft.components.get()
    assert component.reused and component.file_id == result.file_id
    # Removing it from the draft leaves the vault's file alone.
    citizen.post(url, {"spec": w.specs[0].pk, "remove": component.pk})
    assert StoredFile.objects.filter(pk=result.file_id).exists()
    # Someone else's document: 404 on the page too, nothing attached.
    mine = drafts.vault_documents(w.other_citizen, w.specs[0])
    assert mine == []


def test_offers_match_by_title_and_hide_expired(w):
    citizen = client_for(w.citizen)
    file_id = citizen.post(f"{API}/files", {"file": _pdf()}).json()["id"]
    citizen.post(
        f"{API}/vault/documents",
        {"file_id": file_id, "kind": "other", "title": w.specs[0].name},
        content_type="application/json",
    )
    assert [d.title for d in drafts.vault_documents(w.citizen, w.specs[0])] == [w.specs[0].name]
    VaultDocument.objects.update(expires_on=local(2020, 1, 1).date())
    assert drafts.vault_documents(w.citizen, w.specs[0]) == []


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.pdf", factories.PDF_BYTES)


def test_anonymous_gets_no_offer(w):
    from django.contrib.auth.models import AnonymousUser

    assert drafts.vault_documents(AnonymousUser(), w.specs[0]) == []
    assert Client().get(f"{API}/vault/documents").status_code == 401


def test_indicator_reads(w, result_pdf):
    from motcua.dossiers.models import Dossier
    from motcua.vault import queries

    first = returned(w, result_pdf)
    document = VaultDocument.objects.get(owner=w.citizen)
    components = [{"spec_id": w.specs[0].pk, "vault_document_id": document.pk}] + [
        {"spec_id": spec.pk, "file_id": str(upload(w.citizen).pk)} for spec in w.specs[1:]
    ]
    second = services.submit_online(
        applicant_user=w.citizen,
        procedure=w.procedure.code,
        agency=w.home.code,
        form={"child_name": "A"},
        components=components,
        now=LATER,
    )
    start, end = local(2026, 11, 1), local(2026, 12, 1)
    assert list(queries.with_signed_result(Dossier.objects.all())) == [first]
    assert list(queries.reusing(w.home, start, end)) == [second]
    assert set(queries.using_the_vault(w.home, start, end)) == {first, second}
