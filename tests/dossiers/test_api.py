"""The dossier API end to end (api.md "Files", "Dossiers", lookup)."""

import contextlib
import io
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import AccessLog, Dossier, Event

from .factories import FULL_LIFE, PDF_BYTES, local, sign_in, submit

pytestmark = pytest.mark.django_db

API = "/api/v1"
MON = local(2026, 11, 16, 9)


@contextlib.contextmanager
def clock(moment):
    """Freeze the services' clock (they call django.utils.timezone.now)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def client_for(user) -> Client:
    return sign_in(Client(), user)


def post_file(client, data=PDF_BYTES, name="to-khai.pdf"):
    upload_ = io.BytesIO(data)
    upload_.name = name
    return client.post(f"{API}/files", {"file": upload_})


def act(client, code, action, **args):
    return client.post(
        f"{API}/dossiers/{code}/actions",
        {"action": action, **args},
        content_type="application/json",
    )


def dossier_body(w, client):
    components = []
    for spec in w.specs:
        response = post_file(client)
        assert response.status_code == 201, response.content
        components.append({"spec_id": spec.pk, "file_id": response.json()["id"]})
    return {
        "procedure": w.procedure.code,
        "agency": w.home.code,
        "form": {"child_name": "Nguyễn Văn Con"},
        "components": components,
        "applicant": {"phone": "0912345678"},
    }


def create(client, body, **headers):
    return client.post(
        f"{API}/dossiers", body, content_type="application/json", headers=headers or None
    )


# ------------------------------------------------------------------------------------ files


def test_upload_returns_its_description(w):
    response = post_file(client_for(w.citizen))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "size", "sha256", "content_type"}
    assert (body["name"], body["size"], body["content_type"]) == (
        "to-khai.pdf",
        len(PDF_BYTES),
        "application/pdf",
    )
    uuid.UUID(body["id"])


def test_upload_checks_content_not_name(w):
    response = post_file(client_for(w.citizen), data=b"MZ\x90\x00 program", name="anh.pdf")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_file_type"


def test_upload_over_the_limit_is_413(w, settings):
    settings.MAX_UPLOAD_MB = 1
    response = post_file(client_for(w.citizen), data=b"%PDF-" + b"0" * (1024 * 1024))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_upload_needs_sign_in(w):
    assert post_file(Client()).status_code == 401


# ------------------------------------------------------------------------------- scenarios


def test_online_dossier_from_submission_to_returned_result(w):
    citizen = client_for(w.citizen)
    reception, specialist = client_for(w.reception), client_for(w.specialist)
    partner, leader = client_for(w.partner_specialist), client_for(w.leader)
    with clock(MON):
        response = create(citizen, dossier_body(w, citizen))
    assert response.status_code == 201, response.content
    body = response.json()
    code = body["code"]
    assert code == f"{w.home.code}-261116-0001"
    assert body["status"] == "submitted"
    assert body["due_at"] == "2026-11-19T09:00:00+07:00"
    assert body["applicant"]["id_number"] == w.citizen.id_number
    assert body["allowed_actions"] == ["withdraw"]
    with clock(MON.replace(hour=10)):
        body = act(reception, code, "receive").json()
    assert (body["status"], body["step"]["name"]) == ("processing", "Tiếp nhận hồ sơ")
    with clock(MON.replace(hour=11)):
        assert act(reception, code, "forward").status_code == 200
    with clock(MON.replace(hour=14)):
        body = act(specialist, code, "transfer", to_agency=w.partner.code).json()
    assert body["step"]["agency"] == w.partner.code
    with clock(MON.replace(hour=16)):
        body = act(partner, code, "transfer").json()
    assert (body["step"]["name"], body["step"]["agency"]) == ("Ký duyệt", w.home.code)
    with clock(local(2026, 11, 17, 9)):
        result_id = post_file(leader).json()["id"]
        body = act(leader, code, "finish", result_file_id=result_id).json()
    assert body["status"] == "result_ready"
    assert body["result"]["file"]["id"] == result_id
    assert body["timeliness"] == "early"
    with clock(local(2026, 11, 17, 10)):
        body = act(reception, code, "return_result", delivery="counter").json()
    assert body["status"] == "returned"
    events = citizen.get(f"{API}/dossiers/{code}/events").json()
    assert [e["action"] for e in events] == FULL_LIFE
    assert events[1]["documents"] == [f"{API}/dossiers/{code}/forms/mau-01.pdf"]


def test_counter_dossier_through_the_api(w):
    reception = client_for(w.reception)
    body = dossier_body(w, reception)
    body.update(
        channel="counter",
        applicant={"kind": "citizen", "full_name": "Bùi Văn Quầy", "id_number": "026090000111"},
    )
    with clock(MON):
        response = create(reception, body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["status"], out["channel"], out["step"]["name"]) == (
        "processing",
        "counter",
        "Tiếp nhận hồ sơ",
    )
    assert all(c["digitised"] for c in out["components"])
    assert "forward" in out["allowed_actions"]


def test_counter_submission_by_a_citizen_is_forbidden(w):
    citizen = client_for(w.citizen)
    body = dossier_body(w, citizen)
    body["channel"] = "counter"
    body["applicant"] = {"full_name": "X", "id_number": "026090000111"}
    assert create(citizen, body).status_code == 403


def test_an_account_opened_online_submits_only_once_confirmed(w):
    from motcua.accounts.models import Verification
    from motcua.dossiers.models import Dossier

    verification = Verification.objects.create(user=w.citizen)
    citizen = client_for(w.citizen)
    body = dossier_body(w, citizen)
    refused = create(citizen, body)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "account_not_confirmed"
    assert not Dossier.objects.exists()
    # Signing in through the national identity provider confirms who it is.
    verification.identity_verified_at = MON
    verification.save()
    assert create(citizen, body).status_code == 201


def test_supplement_through_the_api_moves_the_due_time(w):
    citizen, reception = client_for(w.citizen), client_for(w.reception)
    with clock(MON):
        code = create(citizen, dossier_body(w, citizen)).json()["code"]
        act(reception, code, "receive")
    with clock(local(2026, 11, 16, 15)):
        body = act(reception, code, "request_supplement", missing=[w.specs[1].pk]).json()
    assert (body["status"], body["paused"]) == ("awaiting_supplement", True)
    # Reception may file papers the applicant brings to the counter.
    assert body["allowed_actions"] == ["supplement", "refuse"]
    with clock(local(2026, 11, 18, 10)):
        file_id = post_file(citizen).json()["id"]
        body = act(
            citizen, code, "supplement", components=[{"file_id": file_id, "name": "Bản sao"}]
        )
    body = body.json()
    assert (body["status"], body["paused"]) == ("processing", False)
    assert body["due_at"] == "2026-11-20T14:00:00+07:00"  # moved by 12 working hours


def test_refuse_withdraw_and_apology_through_the_api(w):
    citizen, reception, leader = (
        client_for(w.citizen),
        client_for(w.reception),
        client_for(w.leader),
    )
    with clock(MON):
        first = create(citizen, dossier_body(w, citizen)).json()["code"]
        second = create(citizen, dossier_body(w, citizen)).json()["code"]
        third = create(citizen, dossier_body(w, citizen)).json()["code"]
        missing_reason = act(reception, first, "refuse")
        assert missing_reason.status_code == 422
        assert "reason" in missing_reason.json()["error"]["fields"]
        assert (
            act(reception, first, "refuse", reason="Sai thẩm quyền").json()["status"] == "refused"
        )
        assert act(citizen, second, "withdraw").json()["status"] == "withdrawn"
        act(reception, third, "receive")
    with clock(local(2026, 11, 18, 16)):
        body = act(
            leader,
            third,
            "apologize",
            reason="Chờ kết quả xác minh",
            new_due_at="2026-11-25T17:00:00+07:00",
        ).json()
    assert body["extended_due_at"] == "2026-11-25T17:00:00+07:00"
    assert body["due_at"] == "2026-11-19T09:00:00+07:00"
    with clock(local(2026, 11, 19, 10)):
        late = act(leader, third, "apologize", reason="x", new_due_at="2026-11-30T17:00:00+07:00")
    # Still before the new appointment, so a second apology could be made.
    assert late.status_code == 200


def test_disallowed_action_is_409_and_changes_nothing(w):
    citizen, reception = client_for(w.citizen), client_for(w.reception)
    with clock(MON):
        code = create(citizen, dossier_body(w, citizen)).json()["code"]
    before = Dossier.objects.filter(code=code).values().get()
    events = Event.objects.count()
    for client, action in [(reception, "finish"), (citizen, "receive"), (reception, "supplement")]:
        response = act(client, code, action)
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "action_not_allowed"
    assert Dossier.objects.filter(code=code).values().get() == before
    assert Event.objects.count() == events
    assert act(reception, code, "fly").status_code == 422


def test_form_errors_name_the_field(w):
    citizen = client_for(w.citizen)
    body = dossier_body(w, citizen)
    body["form"] = {}
    body["components"] = body["components"][:1]
    response = create(citizen, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"]["form.child_name"] == ["Bắt buộc nhập."]
    assert any(w.specs[1].name in m for m in error["fields"]["components"])


# ---------------------------------------------------------------------------- idempotency


def test_a_retried_submission_creates_one_dossier(w):
    citizen = client_for(w.citizen)
    body = dossier_body(w, citizen)
    key = str(uuid.uuid4())
    first = create(citizen, body, **{"Idempotency-Key": key})
    again = create(citizen, body, **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Dossier.objects.count() == 1
    other = dict(body, form={"child_name": "Khác"})
    reused = create(citizen, other, **{"Idempotency-Key": key})
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


# ----------------------------------------------------------------------------- permissions


def test_others_get_404_on_every_dossier_route(w):
    with clock(MON):
        dossier = submit(w, MON)
    code = dossier.code
    for user in (w.other_citizen, w.outsider, w.partner_specialist):
        client = client_for(user)
        assert client.get(f"{API}/dossiers/{code}").status_code == 404
        assert client.get(f"{API}/dossiers/{code}/events").status_code == 404
        response = act(client, code, "withdraw")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert client.get(f"{API}/dossiers").json()["total"] == 0
    assert client_for(w.citizen).get(f"{API}/dossiers/{code}").status_code == 200
    assert client_for(w.specialist).get(f"{API}/dossiers/{code}").status_code == 200
    assert Client().get(f"{API}/dossiers/{code}").status_code == 401
    assert client_for(w.citizen).get(f"{API}/dossiers/NOPE-1").status_code == 404


def test_id_number_is_masked_outside_the_receiving_agency(w):
    from motcua.dossiers.services import perform

    d = submit(w, MON)
    perform(d.code, "receive", w.reception, now=MON)
    perform(d.code, "forward", w.reception, now=MON)
    perform(d.code, "transfer", w.specialist, now=MON)
    seen_by_partner = client_for(w.partner_specialist).get(f"{API}/dossiers/{d.code}").json()
    assert seen_by_partner["applicant"]["id_number"] == "*" * 9 + w.citizen.id_number[-3:]
    assert "transfer" in seen_by_partner["allowed_actions"]
    assert "finish" not in seen_by_partner["allowed_actions"]
    seen_at_home = client_for(w.reception).get(f"{API}/dossiers/{d.code}").json()
    assert seen_at_home["applicant"]["id_number"] == w.citizen.id_number


def test_officer_reads_are_logged_for_the_citizen(w):
    d = submit(w, MON)
    client_for(w.citizen).get(f"{API}/dossiers/{d.code}")
    assert not AccessLog.objects.exists()
    client_for(w.specialist).get(f"{API}/dossiers/{d.code}")
    client_for(w.specialist).get(f"{API}/dossiers/{d.code}/events")
    logs = list(AccessLog.objects.order_by("at", "id"))
    assert [(log.user, log.agency, log.role) for log in logs] == [
        (w.specialist, w.home, "specialist"),
        (w.specialist, w.home, "specialist"),
    ]
    assert logs[0].purpose == "Xem hồ sơ"
    client_for(w.other_citizen).get(f"{API}/dossiers/{d.code}")  # 404: nothing read
    assert AccessLog.objects.count() == 2


# ------------------------------------------------------------------------------- lists


def test_list_filters_and_paginates(w):
    from motcua.dossiers.services import perform

    for hour in (8, 9, 10):
        submit(w, MON.replace(hour=hour))
    late = submit(w, local(2026, 11, 2, 9))  # due 5 November: overdue today
    perform(late.code, "receive", w.reception, now=local(2026, 11, 2, 9))
    citizen = client_for(w.citizen)
    stack = contextlib.ExitStack()
    stack.enter_context(clock(local(2026, 11, 17, 9)))
    page = citizen.get(f"{API}/dossiers?page_size=2").json()
    assert (page["total"], len(page["items"]), page["page"], page["page_size"]) == (4, 2, 1, 2)
    assert page["items"][0]["code"].endswith("-261116-0003")  # newest first
    assert citizen.get(f"{API}/dossiers?page=2&page_size=2").json()["items"][1]["code"] == late.code
    processing = citizen.get(f"{API}/dossiers?status=processing").json()
    assert [i["code"] for i in processing["items"]] == [late.code]
    overdue = citizen.get(f"{API}/dossiers?overdue=true").json()
    assert [i["code"] for i in overdue["items"]] == [late.code]
    assert overdue["items"][0]["timeliness"] == "overdue"
    assert citizen.get(f"{API}/dossiers?overdue=false").json()["total"] == 3
    assert citizen.get(f"{API}/dossiers?status=flying").status_code == 422
    assert client_for(w.reception).get(f"{API}/dossiers").json()["total"] == 4
    stack.close()


def test_list_queries_do_not_grow_with_rows(w):
    client = client_for(w.reception)
    submit(w, MON)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{API}/dossiers").status_code == 200
    for hour in range(10, 16):
        submit(w, MON.replace(hour=hour))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(f"{API}/dossiers").json()["items"]) == 7
    assert len(many) == len(few)


# ------------------------------------------------------------------------------- lookup


def test_public_lookup_needs_code_and_id_number(w):
    d = submit(w, MON)
    anonymous = Client()
    ok = anonymous.get(f"{API}/lookup", {"code": d.code, "id_number": w.citizen.id_number})
    assert ok.status_code == 200
    assert ok.json()["status"] == "submitted"
    assert set(ok.json()) >= {"code", "procedure_name", "status", "due_at", "timeliness"}
    wrong = anonymous.get(f"{API}/lookup", {"code": d.code, "id_number": "001090099999"})
    assert wrong.status_code == 404


def test_lookup_is_rate_limited(w):
    from django.core.cache import cache

    cache.clear()
    anonymous = Client()
    answers = [
        anonymous.get(f"{API}/lookup", {"code": "X", "id_number": "1"}).status_code
        for _ in range(12)
    ]
    assert answers[:10] == [404] * 10
    assert answers[10:] == [429, 429]
    cache.clear()


def test_upload_is_attached_once(w):
    citizen = client_for(w.citizen)
    body = dossier_body(w, citizen)
    assert create(citizen, body).status_code == 201
    again = create(citizen, body)
    assert again.status_code == 422
    assert "components.0.file_id" in again.json()["error"]["fields"]


def test_a_vault_document_that_is_not_the_callers_is_404(w):
    client = client_for(w.citizen)
    body = dossier_body(w, client)
    body["components"][0] = {"spec_id": w.specs[0].pk, "vault_document_id": 7}
    response = create(client, body)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not Dossier.objects.exists()
