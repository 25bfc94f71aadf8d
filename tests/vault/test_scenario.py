"""The whole path through the API: submit → … → finish with a result → return it
electronically → the signed result is in the citizen's vault → a new dossier takes it from
the vault (no upload) and its component is `reused` → a share works, is revoked (410) → the
access log lists the officer's read and the share's opening."""

import pytest
from django.test import Client

from tests.dossiers.test_api import act, clock, create, dossier_body, post_file

from .helpers import MON
from .test_api import API, client_for

pytestmark = pytest.mark.django_db


def test_from_submission_to_reuse_share_and_access_log(w, result_pdf):
    citizen, reception = client_for(w.citizen), client_for(w.reception)
    specialist, leader = client_for(w.specialist), client_for(w.leader)
    partner = client_for(w.partner_specialist)
    with clock(MON):
        code = create(citizen, dossier_body(w, citizen)).json()["code"]
    with clock(MON.replace(hour=10)):
        act(reception, code, "receive")
        act(reception, code, "forward")
        act(specialist, code, "transfer", to_agency=w.partner.code)
        act(partner, code, "transfer")
        result_id = post_file(leader, data=result_pdf, name="ket-qua.pdf").json()["id"]
        assert act(leader, code, "finish", result_file_id=result_id).status_code == 200
        body = act(reception, code, "return_result", delivery="electronic").json()
    assert body["status"] == "returned"
    assert reception.get(f"{API}/dossiers/{code}").status_code == 200  # an officer's read

    [document] = citizen.get(f"{API}/vault/documents").json()["items"]
    assert (document["source"], document["dossier_code"]) == ("result", code)
    verdict = (
        Client()
        .get(document["verify_url"].replace("https://dichvucong.example.gov.vn", "/api/v1"))
        .json()
    )
    assert verdict["valid"] is True and verdict["dossier_code"] == code

    new = dossier_body(w, citizen)
    new["components"][0] = {"spec_id": w.specs[0].pk, "vault_document_id": document["id"]}
    with clock(MON.replace(hour=11)):
        response = create(citizen, new)
    assert response.status_code == 201, response.content
    reused = [c for c in response.json()["components"] if c["reused"]]
    assert [c["spec_id"] for c in reused] == [w.specs[0].pk]

    share = citizen.post(
        f"{API}/vault/documents/{document['id']}/shares",
        {"expires_in_hours": 24},
        content_type="application/json",
    ).json()
    assert Client().get(f"/shared/{share['token']}").status_code == 200
    citizen.delete(f"{API}/vault/shares/{share['token']}")
    assert Client().get(f"/shared/{share['token']}").status_code == 410

    log = citizen.get(f"{API}/vault/access-log").json()["items"]
    kinds = {entry["kind"] for entry in log}
    assert {"dossier", "share"} <= kinds
    assert any(e["kind"] == "dossier" and code in e["what"] for e in log)
