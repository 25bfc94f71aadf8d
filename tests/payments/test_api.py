"""The payments API (api.md "Payments") through the scenario of issue "Done when"."""

import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.core.errors import ActionNotAllowed
from motcua.dossiers import services as dossiers
from motcua.payments import vietqr
from motcua.payments.models import GatewayNotification, Payment, Receipt
from motcua.payments.plugins.base import sign

from . import factories as f

NOTIFY = "/api/v1/payments/notify"


def pdf_font_names(pdf: bytes) -> set[str]:
    reader = PdfFileReader(io.BytesIO(pdf))
    names = set()
    for page in reader.root["/Pages"]["/Kids"]:
        fonts = page.get_object()["/Resources"]["/Font"].get_object()
        for key in fonts:
            name = str(fonts.get_object()[key].get_object()["/BaseFont"])
            names.add(name.split("+")[-1].lstrip("/"))
    return names


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start(client, code, **body):
    return client.post(
        f"/api/v1/dossiers/{code}/payments",
        json.dumps(body) if body else "",
        content_type="application/json",
    )


def notification(payment, *, amount=None, transaction_id="FT26327000001", **extra):
    return json.dumps(
        {
            "bill_number": payment["dossier"] if isinstance(payment, dict) else payment,
            "amount": amount if amount is not None else payment["amount"],
            "transaction_id": transaction_id,
            "paid_at": "2026-11-23T10:15:00+07:00",
            **extra,
        }
    ).encode()


def notify(body: bytes, *, secret=f.SECRET, signature=None):
    return Client().post(
        NOTIFY,
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=signature if signature is not None else sign(secret, body),
    )


@pytest.fixture
def dossier(w):
    return f.submit(w, copies=3)


@pytest.fixture
def payment(w, dossier):
    response = start(client_for(w.citizen), dossier.code)
    assert response.status_code == 201, response.content
    return response.json()


def test_the_payment_carries_a_valid_vietqr_for_what_is_owed(w, dossier, payment):
    # Online fee 8 000 đ per copy, three copies asked in the form.
    assert payment["amount"] == 24000 and payment["status"] == "pending"
    qr = vietqr.parse_payload(payment["vietqr"])  # validates lengths, fields and CRC
    assert qr.crc == payment["vietqr"][-4:]
    assert (qr.bank_bin, qr.account, qr.amount) == ("970415", "113000123456", 24000)
    assert qr.bill_number == dossier.code
    assert qr.purpose.isascii() and len(qr.purpose) <= 25
    assert payment["fee_lines"][0]["units"] == 3
    assert payment["bank"]["account_number"] == "113000123456"
    assert payment["expires_at"] and payment["qr_url"].endswith("/qr.svg")
    svg = client_for(w.citizen).get(payment["qr_url"])
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"


def test_asking_again_returns_the_pending_payment(w, dossier, payment):
    again = start(client_for(w.citizen), dossier.code)
    assert again.status_code == 200 and again.json()["id"] == payment["id"]
    assert Payment.objects.count() == 1


def test_idempotency_key_replays_the_first_answer(w, dossier):
    client = client_for(w.citizen)
    headers = {"HTTP_IDEMPOTENCY_KEY": "5d0a1d2e-8c4f-4f0b-9a51-0c1f1f4a2b77"}
    url = f"/api/v1/dossiers/{dossier.code}/payments"
    first = client.post(url, "{}", content_type="application/json", **headers)
    second = client.post(url, "{}", content_type="application/json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Payment.objects.count() == 1


def test_signed_callback_marks_paid_and_issues_a_numbered_receipt(w, dossier, payment):
    response = notify(notification(payment))
    assert response.status_code == 200, response.content
    assert response.json() == {"outcome": "paid", "payment": payment["id"]}

    detail = client_for(w.citizen).get(f"/api/v1/payments/{payment['id']}").json()
    assert detail["status"] == "paid" and detail["transaction_id"] == "FT26327000001"
    receipt = detail["receipt"]
    year = timezone.localdate().year
    assert receipt["number"] == f"BL-{year}/0000001" and receipt["amount"] == 24000

    pdf = client_for(w.citizen).get(f"/api/v1/payments/{payment['id']}/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The font shipped for Vietnamese is the one embedded, not a system fallback.
    fonts = pdf_font_names(pdf.content)
    assert fonts and all(name.startswith("Source-Sans-Pro") for name in fonts), fonts


def test_wrong_signature_is_401_and_changes_nothing(w, dossier, payment):
    body = notification(payment)
    for signature in ["", "00" * 32, sign("another-secret", body)]:
        response = notify(body, signature=signature)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "bad_signature"
    assert Payment.objects.get().status == Payment.Status.PENDING
    assert not GatewayNotification.objects.exists() and not Receipt.objects.exists()


def test_replayed_callback_is_acknowledged_once(w, dossier, payment):
    body = notification(payment)
    assert notify(body).json()["outcome"] == "paid"
    again = notify(body)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert Receipt.objects.count() == 1
    outcomes = sorted(GatewayNotification.objects.values_list("outcome", flat=True))
    assert outcomes == ["duplicate", "paid"]


def test_wrong_amount_is_409_recorded_and_not_paid(w, dossier, payment):
    response = notify(notification(payment, amount=20000))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "amount_mismatch"
    assert Payment.objects.get().status == Payment.Status.MISMATCHED
    kept = GatewayNotification.objects.get()
    assert (kept.outcome, kept.amount, str(kept.payment_id)) == (
        "amount_mismatch",
        20000,
        payment["id"],
    )
    assert not Receipt.objects.exists()


def test_unknown_bill_is_404_and_kept(w):
    response = notify(notification("000.00.31.H26-200101-9999", amount=1000))
    assert response.status_code == 404
    assert GatewayNotification.objects.get().outcome == "unknown_bill"


def test_malformed_signed_notification_is_422(w, payment):
    body = notification(payment, amount="24000")
    response = notify(body)
    assert response.status_code == 422
    assert "amount" in response.json()["error"]["fields"]
    assert not GatewayNotification.objects.exists()


def test_online_submission_with_zero_online_fee_owes_nothing(w):
    dossier = f.submit(w, w.free_procedure)
    client = client_for(w.citizen)
    response = start(client, dossier.code)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "nothing_due"
    assert not Payment.objects.exists()
    owed = client.get(f"/api/v1/dossiers/{dossier.code}/payments").json()
    assert owed["fees_due"] == 0 and owed["payments"] == []


def test_the_same_procedure_at_the_counter_owes_the_counter_fee(w):
    dossier = f.at_counter(w, w.free_procedure)
    owed = client_for(w.reception).get(f"/api/v1/dossiers/{dossier.code}/payments").json()
    assert owed["fees_due"] == 8000


def test_fee_due_before_result_is_not_owed_at_submission(w):
    dossier = f.submit(w, w.later_procedure)
    assert start(client_for(w.citizen), dossier.code).status_code == 409


def test_strangers_see_nothing(w, dossier, payment):
    for user in (w.other_citizen, w.outsider):
        client = client_for(user)
        assert client.get(f"/api/v1/payments/{payment['id']}").status_code == 404
        assert client.get(f"/api/v1/payments/{payment['id']}/qr.png").status_code == 404
        assert start(client, dossier.code).status_code == 404
    assert Client().get(f"/api/v1/payments/{payment['id']}").status_code == 401


def test_an_expired_code_is_replaced_by_a_new_one(w, dossier, payment):
    Payment.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = start(client_for(w.citizen), dossier.code)
    assert response.status_code == 201 and response.json()["id"] != payment["id"]
    assert Payment.objects.get(pk=payment["id"]).status == Payment.Status.EXPIRED
    # The bank may still deliver the old code's transfer: it pays the dossier once.
    assert notify(notification(payment)).json()["outcome"] == "paid"
    late = notify(notification(response.json(), transaction_id="FT26327000002"))
    assert late.status_code == 409 and late.json()["error"]["code"] == "already_paid"


def test_demo_gateway_confirms_from_the_app(w, dossier):
    client = client_for(w.citizen)
    payment = start(client, dossier.code, gateway="demo").json()
    assert payment["gateway"] == "demo" and payment["can_simulate"]
    paid = client.post(f"/api/v1/payments/{payment['id']}/simulate").json()
    assert paid["status"] == "paid" and paid["receipt"]["number"].endswith("/0000001")
    assert client.post(f"/api/v1/payments/{payment['id']}/simulate").status_code == 409


def test_demo_confirmation_is_refused_for_bank_transfers(w, payment):
    client = client_for(w.citizen)
    assert client.post(f"/api/v1/payments/{payment['id']}/simulate").status_code == 409


def test_an_unoffered_gateway_is_refused(w, dossier, settings):
    settings.PAYMENT_GATEWAYS = ["bank_transfer"]
    response = start(client_for(w.citizen), dossier.code, gateway="demo")
    assert response.status_code == 422 and "gateway" in response.json()["error"]["fields"]


def test_cash_at_the_counter_is_recorded_by_reception(w):
    dossier = f.at_counter(w, copies=2)
    assert start(client_for(w.specialist), dossier.code, method="cash").status_code == 403
    response = start(client_for(w.reception), dossier.code, method="cash")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["amount"], body["vietqr"]) == ("paid", 20000, "")
    assert body["receipt"]["number"].endswith("/0000001")


def test_a_citizen_cannot_record_cash(w, dossier):
    assert start(client_for(w.citizen), dossier.code, method="cash").status_code == 403


def _awaiting_payment(w, dossier):
    dossiers.perform(dossier.code, "receive", w.reception)
    dossiers.perform(
        dossier.code, "request_payment", w.reception, amount=50000, note="Phí thẩm định"
    )
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_payment"
    return dossier


def test_what_an_officer_requests_is_what_is_owed(w):
    dossier = _awaiting_payment(w, f.submit(w, w.later_procedure))
    payment = start(client_for(w.citizen), dossier.code).json()
    assert payment["amount"] == 50000
    assert payment["fee_lines"][0]["reason"] == "Phí thẩm định"


def test_counter_payment_moves_the_dossier_on(w):
    dossier = _awaiting_payment(w, f.submit(w, w.later_procedure))
    assert start(client_for(w.reception), dossier.code, method="card").status_code == 201
    dossier.refresh_from_db()
    assert dossier.status == "processing"
    event = dossier.events.order_by("-seq").first()
    assert event.action == "record_payment" and event.payload["amount"] == 50000
    assert event.payload["receipt_number"].startswith("BL-")


def test_gateway_payment_moves_the_dossier_on(w):
    dossier = _awaiting_payment(w, f.submit(w, w.later_procedure))
    payment = start(client_for(w.citizen), dossier.code).json()
    assert notify(notification(payment)).json()["outcome"] == "paid"
    dossier.refresh_from_db()
    assert dossier.status == "processing"
    event = dossier.events.order_by("-seq").first()
    assert (event.action, event.actor_id, event.actor_role) == (
        "record_payment",
        None,
        "payment_gateway",
    )


@pytest.mark.parametrize(
    ("action", "system", "as_officer"),
    [
        ("finish", "payment_gateway", False),  # the gateway only confirms payments
        ("record_payment", "someone_else", False),  # no such system
        ("record_payment", "payment_gateway", True),  # a system acts with no person
    ],
)
def test_a_system_may_only_do_its_own_actions(w, action, system, as_officer):
    dossier = _awaiting_payment(w, f.submit(w, w.later_procedure))
    actor = w.reception if as_officer else None
    with pytest.raises(ActionNotAllowed):
        dossiers.perform(dossier.code, action, actor, system=system, amount=1)
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_payment"


def test_receipt_numbers_follow_each_other_per_agency_and_year(w):
    numbers = []
    for n in range(3):
        dossier = f.submit(w, copies=1)
        payment = start(client_for(w.citizen), dossier.code).json()
        notify(notification(payment, transaction_id=f"FT-{n}"))
        numbers.append(Receipt.objects.get(payment_id=payment["id"]).number)
    assert numbers == [1, 2, 3]


def test_receipt_cancellation_and_refunds(w, payment):
    notify(notification(payment))
    receipt = Receipt.objects.get()
    officer, citizen = client_for(w.reception), client_for(w.citizen)
    url = f"/api/v1/receipts/{receipt.pk}"

    def post(client, path, body):
        return client.post(url + path, json.dumps(body), content_type="application/json")

    assert post(citizen, "/refunds", {"amount": 1000, "reason": "x"}).status_code == 403
    too_much = post(officer, "/refunds", {"amount": 30000, "reason": "Nộp thừa"})
    assert too_much.status_code == 422
    refunded = post(officer, "/refunds", {"amount": 8000, "reason": "Nộp thừa một bản"})
    assert refunded.status_code == 201 and refunded.json()["amount"] == 8000
    assert post(officer, "/cancel", {"reason": "Sai người nộp"}).status_code == 409

    second = Receipt.objects.create(
        payment=Payment.objects.create(
            dossier=receipt.payment.dossier,
            bill_number="x",
            amount=1000,
            method="cash",
            status="paid",
            paid_at=timezone.now(),
            created_at=timezone.now(),
        ),
        agency=receipt.agency,
        year=receipt.year,
        number=2,
        amount=1000,
        issued_at=timezone.now(),
    )
    url = f"/api/v1/receipts/{second.pk}"
    assert post(officer, "/cancel", {"reason": ""}).status_code == 422
    cancelled = post(officer, "/cancel", {"reason": "Lập nhầm"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    second.refresh_from_db()
    assert (second.number, second.cancel_reason) == (2, "Lập nhầm")  # kept, never deleted
    assert post(officer, "/cancel", {"reason": "Lần nữa"}).status_code == 409


def test_expire_payments_command_marks_overdue_codes(w, dossier, payment):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("expire_payments", stdout=out)
    assert Payment.objects.get().status == Payment.Status.PENDING
    Payment.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    call_command("expire_payments", stdout=out)
    assert Payment.objects.get().status == Payment.Status.EXPIRED
    assert out.getvalue().splitlines() == ["0 payment(s) expired", "1 payment(s) expired"]
