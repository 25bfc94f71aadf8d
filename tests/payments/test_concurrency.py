"""Concurrent gateway callbacks leave exactly the right payments paid and receipt numbers
without gaps. Only PostgreSQL runs writers in parallel; SQLite queues them one by one."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.payments import services
from motcua.payments.models import GatewayNotification, Payment, Receipt
from motcua.payments.plugins.base import sign

from . import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer, so there is no concurrency to test there",
    ),
]

CLIENTS = 25  # parallel connections; PostgreSQL's default limit is 100


def _deliver(body: bytes) -> str:
    try:
        result = services.receive_notification(
            "bank_transfer", body, {"X-Signature": sign(f.SECRET, body)}
        )
        return result.outcome
    finally:
        connections.close_all()


def _body(payment: Payment, transaction_id: str) -> bytes:
    return json.dumps(
        {
            "bill_number": payment.bill_number,
            "amount": payment.amount,
            "transaction_id": transaction_id,
            "paid_at": "2026-11-23T10:15:00+07:00",
        }
    ).encode()


def _pending_payments(w, n: int) -> list[Payment]:
    payments = []
    for _ in range(n):
        dossier = f.submit(w, copies=1)
        payments.append(services.start_payment(dossier.code, w.citizen)[0])
    return payments


def test_100_concurrent_callbacks_for_distinct_payments(w):
    payments = _pending_payments(w, 100)
    bodies = [_body(p, f"FT{n:08d}") for n, p in enumerate(payments)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(_deliver, bodies))
    assert outcomes == ["paid"] * 100
    assert Payment.objects.filter(status="paid").count() == 100
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 101))


def test_100_concurrent_replays_of_one_callback(w):
    [payment] = _pending_payments(w, 1)
    body = _body(payment, "FT-REPLAYED")
    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(_deliver, [body] * 100))
    assert sorted(outcomes) == ["duplicate"] * 99 + ["paid"]
    assert Receipt.objects.count() == 1 and Receipt.objects.get().number == 1
    assert GatewayNotification.objects.filter(outcome="paid").count() == 1
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.transaction_id == "FT-REPLAYED"
