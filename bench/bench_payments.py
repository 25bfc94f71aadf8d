"""Payments: VietQR payloads built and parsed per second, gateway callbacks handled per
second (each one marks a payment paid and numbers its receipt), receipt PDF render time.

Runs on a throwaway SQLite database, or on DATABASE_URL when given (then with parallel
clients, so that the receipt counter is contended as in production).
Usage: python bench/bench_payments.py [--payments 300] [--clients 8] [--pdfs 5]
"""

import argparse
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from _common import on_throwaway_database

SECRET = "bench-webhook-secret"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=300, help="callbacks to handle")
    parser.add_argument("--clients", type=int, default=8, help="parallel clients (PostgreSQL)")
    parser.add_argument("--pdfs", type=int, default=5, help="receipt PDFs to render")
    args = parser.parse_args()

    on_throwaway_database(run, args, PAYMENT_WEBHOOK_SECRET=SECRET)


def bench_vietqr(seconds: float = 1.0) -> None:
    from motcua.payments.vietqr import build_payload, parse_payload

    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        payload = build_payload(
            bank_bin="970415",
            account="113000123456",
            amount=10000 + count,
            bill_number=f"000.00.31.H26-261123-{count % 10000:04d}",
            purpose="Lệ phí hồ sơ",
        )
        parse_payload(payload)
        count += 1
    elapsed = time.perf_counter() - began
    print(f"vietqr build+parse: {count / elapsed:,.0f} payloads/s")


def run(args) -> None:
    from django.db import connection, connections
    from django.test.utils import override_settings

    from motcua.payments import pdf, services
    from motcua.payments.models import Receipt
    from motcua.payments.plugins.base import sign
    from tests.payments import factories

    bench_vietqr()
    with override_settings(PAYMENT_GATEWAYS=["bank_transfer", "demo"]):
        w = factories.world()
        payments = []
        for _ in range(args.payments):
            dossier = factories.submit(w, copies=1)
            payments.append(services.start_payment(dossier.code, w.citizen)[0])
        bodies = [
            json.dumps(
                {
                    "bill_number": p.bill_number,
                    "amount": p.amount,
                    "transaction_id": f"FT{n:010d}",
                    "paid_at": "2026-11-23T10:00:00+07:00",
                }
            ).encode()
            for n, p in enumerate(payments)
        ]

        def deliver(body: bytes) -> float:
            began = time.perf_counter()
            try:
                services.receive_notification(
                    "bank_transfer", body, {"X-Signature": sign(SECRET, body)}
                )
            finally:
                if clients > 1:
                    connections.close_all()
            return time.perf_counter() - began

        clients = args.clients if connection.vendor == "postgresql" else 1
        began = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            latencies = sorted(pool.map(deliver, bodies))
        elapsed = time.perf_counter() - began
        numbers = sorted(Receipt.objects.values_list("number", flat=True))
        assert numbers == list(range(1, len(bodies) + 1)), "receipt numbers have gaps"
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(
            f"callbacks ({connection.vendor}, {clients} client(s)): "
            f"{len(bodies) / elapsed:,.0f}/s, median {statistics.median(latencies) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms; receipts 1..{numbers[-1]} without gaps"
        )

        receipt = Receipt.objects.select_related("payment__dossier__procedure", "agency").first()
        began = time.perf_counter()
        pdf.receipt_pdf(receipt)
        first = time.perf_counter() - began
        times = []
        for _ in range(args.pdfs):
            began = time.perf_counter()
            size = len(pdf.receipt_pdf(receipt))
            times.append(time.perf_counter() - began)
        print(
            f"receipt PDF: first {first * 1000:.0f} ms (fonts loaded), then median "
            f"{statistics.median(times) * 1000:.0f} ms, {size / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
