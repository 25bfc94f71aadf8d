"""When payment is due (Procedure.payment_due), end to end with the dossier state machine."""

import io

import pytest
from django.test import Client

from motcua.core.errors import ActionNotAllowed
from motcua.dossiers import services as dossiers
from motcua.dossiers.files import store_file
from motcua.payments import services as payments
from motcua.payments.models import Payment

from . import factories as f
from .test_api import client_for, notification, notify, start

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def actions(dossier) -> list[tuple[str, str, str]]:
    return [(e.action, e.from_status, e.to_status) for e in dossier.events.order_by("seq")]


def pay_online(w, dossier, transaction_id="FT-1"):
    payment = start(client_for(w.citizen), dossier.code).json()
    assert notify(notification(payment, transaction_id=transaction_id)).status_code == 200
    dossier.refresh_from_db()
    return payment


def test_paid_at_submission_is_recorded_and_the_dossier_still_awaits_reception(w):
    dossier = f.submit(w)
    payment = pay_online(w, dossier)
    assert dossier.status == "submitted" and dossier.received_at is None
    event = dossier.events.order_by("-seq").first()
    assert (event.action, event.from_status, event.to_status) == (
        "record_payment",
        "submitted",
        "submitted",
    )
    assert event.payload["payment"] == payment["id"] and event.actor_role == "payment_gateway"
    # Reception is not skipped; once received, nothing is owed and processing starts.
    dossiers.perform(dossier.code, "receive", w.reception)
    dossier.refresh_from_db()
    assert dossier.status == "processing"
    assert payments.amount_owed(dossier).total == 0


def test_unpaid_at_reception_the_dossier_waits_for_payment(w):
    dossier = f.submit(w)  # 3 copies × 8 000 đ online
    dossiers.perform(dossier.code, "receive", w.reception)
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_payment" and dossier.received_at is not None
    receive = dossier.events.order_by("-seq").first()
    assert receive.payload == {"amount": 24000} and receive.documents == ["mau-01"]
    assert payments.amount_owed(dossier).total == 24000
    pay_online(w, dossier)
    assert dossier.status == "processing"
    assert actions(dossier)[-1] == ("record_payment", "awaiting_payment", "processing")


def test_a_code_started_before_reception_still_pays_after_it(w):
    dossier = f.submit(w)
    payment = start(client_for(w.citizen), dossier.code).json()
    dossiers.perform(dossier.code, "receive", w.reception)
    # What is owed did not change, so the same code is offered again.
    assert start(client_for(w.citizen), dossier.code).json()["id"] == payment["id"]
    assert notify(notification(payment)).status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == "processing"


def test_before_processing_nothing_is_owed_until_reception(w):
    dossier = f.submit(w, w.before_procedure)
    assert payments.amount_owed(dossier).total == 0
    assert start(client_for(w.citizen), dossier.code).status_code == 409
    dossiers.perform(dossier.code, "receive", w.reception)
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_payment"
    pay_online(w, dossier)
    assert dossier.status == "processing"


def test_a_free_online_dossier_goes_straight_to_processing(w):
    dossier = f.submit(w, w.free_procedure)
    dossiers.perform(dossier.code, "receive", w.reception)
    dossier.refresh_from_db()
    assert dossier.status == "processing" and not Payment.objects.exists()


def _result_ready(w, dossier):
    dossiers.perform(dossier.code, "forward", w.reception)
    dossiers.perform(dossier.code, "forward", w.specialist)
    result = store_file(io.BytesIO(PDF), "ket-qua.pdf", w.leader)
    dossiers.perform(dossier.code, "finish", w.leader, result_file_id=str(result.pk))
    dossier.refresh_from_db()
    assert dossier.status == "result_ready"
    return dossier


def test_before_result_the_result_waits_for_the_money(w):
    dossier = f.submit(w, w.later_procedure, copies=1)
    dossiers.perform(dossier.code, "receive", w.reception)
    dossier.refresh_from_db()
    assert dossier.status == "processing"  # not blocked before processing
    dossier = _result_ready(w, dossier)
    reception = client_for(w.reception)
    assert (
        "return_result"
        not in reception.get(f"/api/v1/dossiers/{dossier.code}").json()["allowed_actions"]
    )
    refused = reception.post(
        f"/api/v1/dossiers/{dossier.code}/actions",
        {"action": "return_result", "delivery": "counter"},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "payment_due"
    assert "8.000 đồng" in refused.json()["error"]["message"]
    dossier.refresh_from_db()
    assert dossier.status == "result_ready"

    pay_online(w, dossier)
    assert dossier.status == "result_ready"
    assert actions(dossier)[-1] == ("record_payment", "result_ready", "result_ready")
    returned = reception.post(
        f"/api/v1/dossiers/{dossier.code}/actions",
        {"action": "return_result", "delivery": "counter"},
        content_type="application/json",
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "returned"


def test_an_unpaid_counter_fee_also_holds_the_result(w):
    dossier = _result_ready(w, f.at_counter(w))
    with pytest.raises(ActionNotAllowed) as caught:
        dossiers.perform(dossier.code, "return_result", w.reception, delivery="counter")
    assert caught.value.code == "payment_due"
    payments.start_payment(dossier.code, w.reception, method="cash")
    dossiers.perform(dossier.code, "return_result", w.reception, delivery="counter")


@pytest.mark.parametrize("status", ["submitted", "processing"])
def test_money_is_not_recorded_by_hand_outside_a_request(w, status):
    dossier = f.submit(w, w.later_procedure)
    if status == "processing":
        dossiers.perform(dossier.code, "receive", w.reception)
    with pytest.raises(ActionNotAllowed) as caught:
        dossiers.perform(dossier.code, "record_payment", w.reception, amount=8000)
    assert caught.value.code == "payment_required"
    dossier.refresh_from_db()
    assert dossier.status == status and dossier.events.count() == (
        1 if status == "submitted" else 2
    )


def test_money_recorded_as_paid_elsewhere_counts(w):
    dossier = f.submit(w, w.later_procedure)
    dossiers.perform(dossier.code, "receive", w.reception)
    dossiers.perform(dossier.code, "request_payment", w.reception, amount=30000)
    dossiers.perform(
        dossier.code, "record_payment", w.reception, amount=30000, receipt_number="KB-123"
    )
    dossier.refresh_from_db()
    assert dossier.status == "processing"
    body = client_for(w.citizen).get(f"/api/v1/dossiers/{dossier.code}").json()
    assert [(p["amount"], p["receipt_number"]) for p in body["payments"]] == [(30000, "KB-123")]
    # It pays the schedule too (24 000 đ for three copies), so the result is not held.
    assert body["fees_due"] == 0


def test_the_dossier_api_shows_what_is_owed_and_what_was_paid(w):
    dossier = f.submit(w)
    citizen = client_for(w.citizen)
    body = citizen.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert body["fees_due"] == 24000 and body["payments"] == []
    assert body["fee_lines"][0]["units"] == 3 and "3 × 8.000 đ" in body["fee_lines"][0]["reason"]
    pay_online(w, dossier)
    body = citizen.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert body["fees_due"] == 0 and body["fee_lines"] == []
    assert [p["amount"] for p in body["payments"]] == [24000]
    assert body["payments"][0]["receipt_number"].startswith("BL-")
    assert body["payments"][0]["at"].endswith("+07:00")
    # The same figures as the payments API.
    owed = Client()
    owed.force_login(w.citizen)
    assert owed.get(f"/api/v1/dossiers/{dossier.code}/payments").json()["fees_due"] == 0
