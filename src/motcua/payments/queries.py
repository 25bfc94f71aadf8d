"""Reads shared by the API and the pages: payments and receipts scoped by who asks.

Someone who may not see the dossier gets 404 for its payments too (docs/api.md: never leak that a
dossier exists).
"""

from uuid import UUID

from motcua.core.errors import NotFound
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.queries import can_see, dossier_for

from .models import CollectionAccount, Payment, Receipt, Refund

_PAYMENT_RELATED = ("dossier", "dossier__agency", "dossier__procedure", "receipt")


def visible_dossier(user, code: str) -> Dossier:
    return dossier_for(user, code)


def payment_detail(payment_id) -> Payment:
    return (
        Payment.objects.select_related(*_PAYMENT_RELATED)
        .prefetch_related("receipt__refunds")
        .get(pk=payment_id)
    )


def payment_for(user, payment_id: UUID) -> Payment:
    payment = (
        Payment.objects.select_related(*_PAYMENT_RELATED)
        .prefetch_related("receipt__refunds")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None or not can_see(user, payment.dossier):
        raise NotFound("Không tìm thấy khoản thanh toán.")
    return payment


def payments_of(dossier: Dossier) -> list[Payment]:
    return list(
        Payment.objects.filter(dossier=dossier)
        .select_related(*_PAYMENT_RELATED)
        .prefetch_related("receipt__refunds")
        .order_by("-created_at")
    )


def paid_items(dossier: Dossier) -> list[dict]:
    """Money paid for the dossier, oldest first: our payments with their receipt numbers, and
    what officers recorded as paid elsewhere (a `record_payment` with no payment of ours)."""
    items = [
        {
            "amount": payment.amount,
            "receipt_number": payment.receipt.display_number if hasattr(payment, "receipt") else "",
            "at": payment.paid_at,
            "ours": True,
        }
        for payment in Payment.objects.filter(dossier=dossier, status=Payment.Status.PAID)
        .select_related("receipt")
        .order_by("paid_at")
    ]
    elsewhere = (
        Event.objects.filter(dossier=dossier, action="record_payment")
        .exclude(payload__has_key="payment")
        .values_list("at", "payload")
    )
    items += [
        {
            "amount": int(payload.get("amount") or 0),
            "receipt_number": payload.get("receipt_number", ""),
            "at": at,
            "ours": False,
        }
        for at, payload in elsewhere
    ]
    return sorted(items, key=lambda item: item["at"])


def receipt_of(user, payment_id: UUID) -> Receipt:
    payment = payment_for(user, payment_id)
    receipt = (
        Receipt.objects.filter(payment=payment)
        .select_related("agency", "payment__dossier__procedure")
        .first()
    )
    if receipt is None:
        raise NotFound("Khoản thanh toán này chưa có biên lai.")
    return receipt


def receipt_by_id(user, receipt_id: int) -> Receipt:
    receipt = (
        Receipt.objects.select_related("payment__dossier", "agency").filter(pk=receipt_id).first()
    )
    if receipt is None or not can_see(user, receipt.payment.dossier):
        raise NotFound("Không tìm thấy biên lai.")
    return receipt


def collection_account(agency_id: int) -> CollectionAccount | None:
    return CollectionAccount.objects.filter(agency_id=agency_id).first()


def daily_collection(agency, day) -> dict:
    """What an agency collected on a local day: receipts by method, cancellations, refunds."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    start = timezone.make_aware(datetime.combine(day, time()))
    end = start + timedelta(days=1)
    receipts = list(
        Receipt.objects.filter(agency=agency, issued_at__gte=start, issued_at__lt=end)
        .select_related("payment")
        .order_by("year", "number")
    )
    by_method: dict[str, dict] = {}
    for receipt in receipts:
        if receipt.status == Receipt.Status.ISSUED:
            row = by_method.setdefault(receipt.payment.method, {"count": 0, "amount": 0})
            row["count"] += 1
            row["amount"] += receipt.amount
    refunds = Refund.objects.filter(
        receipt__agency=agency, refunded_at__gte=start, refunded_at__lt=end
    )
    refunded = sum(refund.amount for refund in refunds)
    collected = sum(row["amount"] for row in by_method.values())
    return {
        "agency": agency.code,
        "date": day.isoformat(),
        "collected": collected,
        "refunded": refunded,
        "net": collected - refunded,
        "by_method": [{"method": method, **row} for method, row in sorted(by_method.items())],
        "receipts": [
            {
                "number": receipt.display_number,
                "dossier": receipt.payment.bill_number,
                "payer_name": receipt.payer_name,
                "amount": receipt.amount,
                "method": receipt.payment.method,
                "status": receipt.status,
                "issued_at": timezone.localtime(receipt.issued_at),
            }
            for receipt in receipts
        ],
    }
