"""Issue "Done when", first bullet, as one story through the API only: submit a fee-bearing
dossier, get the VietQR payload (parsed and CRC-checked here), the signed callback marks it
paid, the receipt PDF exists with its number, the dossier moves on; a wrong signature is 401
and changes nothing; a replay changes nothing; a wrong amount is 409 and shows in
reconciliation."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.payments.plugins.base import sign
from motcua.payments.vietqr import crc16_ccitt_false

from . import factories as f
from .test_api import client_for


def notify(body: bytes, signature: str | None = None):
    return Client().post(
        "/api/v1/payments/notify",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=sign(f.SECRET, body) if signature is None else signature,
    )


def callback(code: str, amount: int, transaction_id: str) -> bytes:
    return json.dumps(
        {
            "bill_number": code,
            "amount": amount,
            "transaction_id": transaction_id,
            "paid_at": "2026-11-23T10:15:00+07:00",
        }
    ).encode()


def state(citizen, code: str, payment_id: str):
    dossier = citizen.get(f"/api/v1/dossiers/{code}").json()
    payment = citizen.get(f"/api/v1/payments/{payment_id}").json()
    events = citizen.get(f"/api/v1/dossiers/{code}/events").json()
    return dossier["status"], dossier["fees_due"], payment["status"], len(events)


def test_the_whole_story_through_the_api(w):
    citizen, reception = client_for(w.citizen), client_for(w.reception)
    submitted = citizen.post(
        "/api/v1/dossiers",
        {
            "procedure": w.paid_procedure.code,
            "agency": f.HOME,
            "form": {"full_name": "Nguyễn Văn An", "copies": 2},
            "components": [],
        },
        content_type="application/json",
    )
    assert submitted.status_code == 201, submitted.content
    code = submitted.json()["code"]
    assert submitted.json()["fees_due"] == 16000  # two copies at the online 8 000 đ

    started = citizen.post(f"/api/v1/dossiers/{code}/payments", "", content_type="application/json")
    assert started.status_code == 201
    payment = started.json()
    payload = payment["vietqr"]
    # The payload read by hand, field by field (EMVCo TLV), and its CRC recomputed.
    fields, rest = {}, payload
    while rest:
        tag, length = rest[:2], int(rest[2:4])
        fields[tag], rest = rest[4 : 4 + length], rest[4 + length :]
    assert fields["00"] == "01" and fields["01"] == "12" and fields["53"] == "704"
    assert fields["38"].startswith("0010A000000727") and "QRIBFTTA" in fields["38"]
    assert fields["54"] == "16000" and fields["58"] == "VN"
    assert fields["62"].startswith(f"01{len(code):02d}{code}")
    assert fields["63"] == f"{crc16_ccitt_false(payload[:-4].encode()):04X}"
    before = state(citizen, code, payment["id"])

    # A forged callback: 401, nothing changes.
    forged = notify(callback(code, 16000, "FT-1"), signature="00" * 32)
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "bad_signature"
    assert state(citizen, code, payment["id"]) == before

    # The bank's signed callback: paid, with a numbered receipt.
    assert notify(callback(code, 16000, "FT-1")).json() == {
        "outcome": "paid",
        "payment": payment["id"],
    }
    paid = citizen.get(f"/api/v1/payments/{payment['id']}").json()
    number = paid["receipt"]["number"]
    assert paid["status"] == "paid" and number.endswith("/0000001")
    receipt = citizen.get(f"/api/v1/payments/{payment['id']}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    after = state(citizen, code, payment["id"])
    assert after[:3] == ("submitted", 0, "paid")
    events = citizen.get(f"/api/v1/dossiers/{code}/events").json()
    assert events[-1]["action"] == "record_payment"
    assert events[-1]["payload"]["receipt_number"] == number

    # The same callback again: acknowledged once, nothing changes.
    replay = notify(callback(code, 16000, "FT-1"))
    assert replay.status_code == 200 and replay.json()["outcome"] == "duplicate"
    assert state(citizen, code, payment["id"]) == after

    # The dossier moves on: received, it goes straight to processing (nothing owed).
    moved = reception.post(
        f"/api/v1/dossiers/{code}/actions", {"action": "receive"}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["status"] == "processing"

    # A second dossier paid with a wrong amount: 409, not paid, and in reconciliation.
    other = citizen.post(
        "/api/v1/dossiers",
        {"procedure": w.paid_procedure.code, "agency": f.HOME, "form": {"full_name": "An"}},
        content_type="application/json",
    ).json()["code"]
    pending = citizen.post(
        f"/api/v1/dossiers/{other}/payments", "", content_type="application/json"
    ).json()
    wrong = notify(callback(other, 1000, "FT-2"))
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "amount_mismatch"
    assert citizen.get(f"/api/v1/payments/{pending['id']}").json()["status"] == "mismatched"
    # The day's bank statement shows the first transfer; the wrong one is an exception.
    today = timezone.localdate().isoformat()
    lines = f"date,amount,description\n{today},16000,{code}\n".encode()
    statement = SimpleUploadedFile("sao-ke.csv", lines, "text/csv")
    report = reception.post(
        f"/api/v1/payments/reconciliation?agency={f.HOME}", {"file": statement}
    ).json()
    assert [(g["transaction_id"], g["outcome"]) for g in report["gateway_exceptions"]] == [
        ("FT-2", "amount_mismatch")
    ]
    assert [line["outcome"] for line in report["lines"]] == ["matched"]
