"""Reconciliation of a bank statement (CSV) with the agency's payments."""

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.payments import reconciliation, services
from motcua.payments.models import Receipt
from motcua.payments.plugins.base import sign

from . import factories as f
from .test_api import client_for, notification

URL = "/api/v1/payments/reconciliation"
# The statements below are of 23/11/2026; the payments are made that day, local time.
STATEMENT_DAY = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def _on_the_statement_day():
    with mock.patch("django.utils.timezone.now", return_value=STATEMENT_DAY):
        yield


def _paid(w, copies=1, transaction_id="FT1"):
    dossier = f.submit(w, copies=copies)
    payment, _ = services.start_payment(dossier.code, w.citizen)
    body = notification(payment.bill_number, amount=payment.amount, transaction_id=transaction_id)
    services.receive_notification("bank_transfer", body, {"X-Signature": sign(f.SECRET, body)})
    payment.refresh_from_db()
    return payment


def _pending(w, copies=1):
    dossier = f.submit(w, copies=copies)
    return services.start_payment(dossier.code, w.citizen)[0]


def _post(client, csv_text: str, **params):
    upload = SimpleUploadedFile("sao-ke.csv", csv_text.encode(), content_type="text/csv")
    query = "&".join(f"{k}={v}" for k, v in {"agency": f.HOME, **params}.items())
    return client.post(f"{URL}?{query}", {"file": upload})


def test_statement_lines_are_matched_by_transaction_and_by_bill_number(w):
    by_id = _paid(w, transaction_id="FT-A")
    by_bill = _paid(w, copies=2, transaction_id="FT-B")
    waiting = _pending(w, copies=3)
    wrong = _pending(w, copies=4)
    # Banks strip punctuation from the description: the bare code still matches.
    bare = "".join(ch for ch in wrong.bill_number if ch.isalnum())
    statement = "\n".join(
        [
            "Ngày,Mã giao dịch,Số tiền,Nội dung",
            f"23/11/2026 10:15,FT-A,{by_id.amount},CK",
            f'23/11/2026 10:16,,"{by_bill.amount:,}",Le phi HS {by_bill.bill_number}',
            f"23/11/2026 10:17,,{waiting.amount}.00,{waiting.bill_number} nop phi",
            f"23/11/2026 10:18,,{wrong.amount - 1000},NOP PHI {bare}",
            "23/11/2026 10:19,,50.000,chuyen tien khong ro noi dung",
            f"23/11/2026 10:20,FT-A,{by_id.amount},CK lap",
            "23/11/2026 10:21,,-20000,phi ngan hang",
            "hôm qua,,1000,x",
        ]
    )
    response = _post(client_for(w.reception), statement)
    assert response.status_code == 200, response.content
    report = response.json()
    outcomes = [(line["line_no"], line["outcome"]) for line in report["lines"]]
    assert outcomes == [
        (2, "matched"),
        (3, "matched"),
        (4, "unconfirmed"),
        (5, "mismatched"),
        (6, "unmatched"),
        (7, "duplicate"),
        (8, "ignored"),
    ]
    assert report["lines"][1]["bill_number"] == by_bill.bill_number
    assert report["lines"][0]["receipt_number"].startswith("BL-")
    assert report["errors"][0]["line_no"] == 9
    assert report["counts"]["matched"] == 2


def test_gateway_exceptions_and_payments_missing_from_the_statement_show(w):
    paid = _paid(w, transaction_id="FT-X")
    pending = _pending(w, copies=2)
    body = notification(pending.bill_number, amount=1, transaction_id="FT-WRONG")
    Client().post(
        "/api/v1/payments/notify",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=sign(f.SECRET, body),
    )
    statement = "date,amount,description\n2026-11-23,1000,unrelated\n"
    report = _post(client_for(w.reception), statement).json()
    assert [m["payment"] for m in report["missing_from_statement"]] == [str(paid.pk)]
    assert [(g["transaction_id"], g["outcome"]) for g in report["gateway_exceptions"]] == [
        ("FT-WRONG", "amount_mismatch")
    ]


def test_csv_export_for_the_treasury(w):
    paid = _paid(w)
    statement = f"date,amount,description\n2026-11-23,{paid.amount},{paid.bill_number}\n"
    response = _post(client_for(w.reception), statement, format="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, row = response.content.decode().splitlines()
    assert header.startswith("line_no,booked_at,amount") and ",matched," in row


def test_only_the_agency_officers_reconcile(w):
    statement = "date,amount,description\n2026-11-23,1000,x\n"
    assert _post(client_for(w.citizen), statement).status_code == 403
    assert _post(client_for(w.outsider), statement).status_code == 403
    assert _post(client_for(w.reception), statement, agency="000.00.99.H26").status_code == 404


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "trống"),
        ("ngày,nội dung\n1/1/2026,x\n".encode(), "amount"),
        ("date,amount,description\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_unreadable_statements_are_422(w, content, problem):
    upload = SimpleUploadedFile("s.csv", content, content_type="text/csv")
    response = client_for(w.reception).post(f"{URL}?agency={f.HOME}", {"file": upload})
    assert response.status_code == 422
    assert problem in " ".join(response.json()["error"]["fields"]["file"])


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("24000", 24000),
        ("24.000", 24000),
        ("24,000", 24000),
        ("24000.00", 24000),
        ("24.000 đ", 24000),
        ("1.250.000 VND", 1250000),
        ("-20000", -20000),
        ("(5.000)", -5000),
    ],
)
def test_amounts_as_banks_print_them(raw, amount):
    assert reconciliation._parse_amount(raw) == amount


def test_daily_collection_report(w):
    first = _paid(w, copies=1, transaction_id="FT-D1")
    _paid(w, copies=2, transaction_id="FT-D2")
    counter = f.at_counter(w, copies=1)
    services.start_payment(counter.code, w.reception, method="cash")
    services.cancel_receipt(first.receipt.pk, w.reception, "Lập nhầm")
    services.refund(
        Receipt.objects.get(payment__transaction_id="FT-D2").pk,
        w.reception,
        amount=8000,
        reason="Nộp thừa",
    )
    response = client_for(w.reception).get(f"/api/v1/payments/collections?agency={f.HOME}")
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["by_method"] == [
        {"method": "cash", "count": 1, "amount": 10000},
        {"method": "vietqr", "count": 1, "amount": 16000},
    ]
    assert (report["collected"], report["refunded"], report["net"]) == (26000, 8000, 18000)
    assert [r["status"] for r in report["receipts"]] == ["cancelled", "issued", "issued"]
    assert (
        client_for(w.citizen).get(f"/api/v1/payments/collections?agency={f.HOME}").status_code
        == 403
    )
