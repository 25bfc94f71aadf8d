"""Payments API (docs/api.md, "Payments"): pay what a dossier owes, the gateways' notifications,
payments and their electronic receipts."""

from datetime import date as date_type
from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from motcua.core.api.auth import api_auth
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.idempotency import idempotent
from motcua.dossiers.api import FeeLineOut

from . import pdf, queries, reconciliation, services, vietqr
from .models import Payment, Receipt
from .plugins.registry import register

router = Router(tags=["payments"])


class StartPaymentIn(Schema):
    method: Literal["vietqr", "cash", "card"] = Field(
        "vietqr", description="cash and card: recorded at the counter by a reception officer."
    )
    gateway: str | None = Field(None, description="Gateway plugin; default: the first offered.")


class BankDetails(Schema):
    bank_bin: str
    bank_name: str
    account_number: str
    account_name: str
    purpose: str = Field(description="Transfer purpose to type when paying by hand.")


class ReceiptOut(Schema):
    id: int
    number: str = Field(description="Series and number, e.g. BL-2026/0000123.")
    status: Literal["issued", "cancelled"]
    issued_at: datetime
    amount: int
    refunded: int
    cancel_reason: str
    pdf_url: str


class PaymentOut(Schema):
    id: UUID
    dossier: str
    amount: int = Field(description="Đồng.")
    status: Literal["pending", "paid", "expired", "cancelled", "mismatched"]
    method: Literal["vietqr", "cash", "card"]
    gateway: str
    vietqr: str = Field(description="The VietQR payload (empty when paid at the counter).")
    qr_url: str = Field(description="SVG of the VietQR code (also `qr.png`).")
    expires_at: datetime | None
    paid_at: datetime | None
    transaction_id: str | None
    fee_lines: list[FeeLineOut]
    bank: BankDetails | None
    can_simulate: bool = Field(description="The demo gateway: the payer may confirm in-app.")
    receipt: ReceiptOut | None


class DossierPaymentsOut(Schema):
    dossier: str
    fees_due: int = Field(description="What the dossier owes now, in đồng.")
    fee_lines: list[FeeLineOut]
    payments: list[PaymentOut]


class NotificationOut(Schema):
    outcome: Literal["paid", "duplicate"]
    payment: UUID | None


class CancelReceiptIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class RefundIn(Schema):
    amount: int
    reason: str = Field(min_length=1, max_length=2000)
    reference: str = Field("", max_length=100)


class RefundOut(Schema):
    id: int
    receipt: int
    amount: int
    reason: str
    reference: str
    refunded_at: datetime


class Error(Schema):
    error: dict


def _receipt_out(request, receipt: Receipt) -> dict:
    return {
        "id": receipt.pk,
        "number": receipt.display_number,
        "status": receipt.status,
        "issued_at": receipt.issued_at,
        "amount": receipt.amount,
        "refunded": receipt.refunded_total(),
        "cancel_reason": receipt.cancel_reason,
        "pdf_url": request.build_absolute_uri(
            reverse("api-v1:payment_receipt_pdf", args=[receipt.payment_id])
        ),
    }


def payment_out(request, payment: Payment) -> dict:
    receipt = getattr(payment, "receipt", None) if payment.status == Payment.Status.PAID else None
    bank = None
    if payment.vietqr:
        account = queries.collection_account(payment.dossier.agency_id)
        if account is not None:
            bank = {
                "bank_bin": account.bank_bin,
                "bank_name": account.bank_name,
                "account_number": account.account_number,
                "account_name": account.account_name,
                "purpose": payment.purpose,
            }
    plugin = register.get(payment.gateway)
    return {
        "id": payment.pk,
        "dossier": payment.bill_number,
        "amount": payment.amount,
        "status": payment.status,
        "method": payment.method,
        "gateway": payment.gateway,
        "vietqr": payment.vietqr,
        "qr_url": request.build_absolute_uri(reverse("api-v1:payment_qr_svg", args=[payment.pk]))
        if payment.vietqr
        else "",
        "expires_at": payment.expires_at,
        "paid_at": payment.paid_at,
        "transaction_id": payment.transaction_id,
        "fee_lines": payment.fee_lines,
        "bank": bank,
        "can_simulate": bool(
            plugin
            and plugin.can_simulate
            and payment.status == Payment.Status.PENDING
            and plugin in register.enabled()
        ),
        "receipt": _receipt_out(request, receipt) if receipt else None,
    }


@router.post(
    "/dossiers/{code}/payments",
    auth=api_auth,
    response={200: PaymentOut, 201: PaymentOut, 401: Error, 403: Error, 404: Error, 409: Error},
    url_name="dossier_payments_start",
    summary="Pay what the dossier owes now",
    description="201 with a new payment; 200 with the pending one when it already covers what "
    "is owed. Nothing owed (for example an online submission whose online fee is 0) is "
    "`409 nothing_due` and creates nothing. Accepts `Idempotency-Key`.",
)
def start_payment(request, code: str, body: StartPaymentIn | None = None):
    body = body or StartPaymentIn()

    def create():
        payment, created = services.start_payment(
            code, request.auth, method=body.method, gateway=body.gateway
        )
        return (201 if created else 200), payment_out(request, queries.payment_detail(payment.pk))

    return idempotent(request, f"payments:{code}", create)


@router.get(
    "/dossiers/{code}/payments",
    auth=api_auth,
    response={200: DossierPaymentsOut, 401: Error, 404: Error},
    url_name="dossier_payments",
    summary="What the dossier owes and its payments",
)
def dossier_payments(request, code: str):
    dossier = queries.visible_dossier(request.auth, code)
    owed = services.amount_owed(dossier)
    return {
        "dossier": dossier.code,
        "fees_due": owed.total,
        "fee_lines": [line.as_dict() for line in owed.lines],
        "payments": [payment_out(request, p) for p in queries.payments_of(dossier)],
    }


def _notify(request, gateway: str):
    result = services.receive_notification(gateway, request.body, request.headers)
    result.raise_for_outcome()
    return Status(
        200,
        {"outcome": result.outcome, "payment": result.payment.pk if result.payment else None},
    )


_NOTIFY_RESPONSES = {200: NotificationOut, 401: Error, 404: Error, 409: Error, 422: Error}
_NOTIFY_DESCRIPTION = (
    "Body `{bill_number, amount, transaction_id, paid_at}`, header `X-Signature: "
    "hex(HMAC-SHA256(secret, raw body))`. Wrong signature: `401 bad_signature`, nothing "
    "changes. Another amount: `409 amount_mismatch`, kept for reconciliation. A repeated "
    "`transaction_id` is acknowledged once (`duplicate`) and changes nothing."
)


@router.post(
    "/payments/notify",
    response=_NOTIFY_RESPONSES,
    url_name="payments_notify",
    summary="Payment notification from the bank (bank_transfer gateway)",
    description=_NOTIFY_DESCRIPTION,
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {}}}}},
)
def notify(request):
    return _notify(request, "bank_transfer")


@router.post(
    "/payments/notify/{gateway}",
    response=_NOTIFY_RESPONSES,
    url_name="payments_notify_gateway",
    summary="Payment notification from a named gateway",
    description=_NOTIFY_DESCRIPTION,
)
def notify_gateway(request, gateway: str):
    return _notify(request, gateway)


class CollectionQuery(Schema):
    agency: str = Field(description="Code of the collecting agency.")
    date: date_type | None = Field(None, description="Local date; today when left out.")


class CollectionMethodOut(Schema):
    method: Literal["vietqr", "cash", "card"]
    count: int
    amount: int


class CollectionReceiptOut(Schema):
    number: str
    dossier: str
    payer_name: str
    amount: int
    method: Literal["vietqr", "cash", "card"]
    status: Literal["issued", "cancelled"]
    issued_at: datetime


class CollectionOut(Schema):
    agency: str
    date: str
    collected: int = Field(description="Receipts issued that day, cancelled ones excluded.")
    refunded: int
    net: int
    by_method: list[CollectionMethodOut]
    receipts: list[CollectionReceiptOut]


@router.get(
    "/payments/collections",
    auth=api_auth,
    response={200: CollectionOut, 401: Error, 403: Error, 404: Error},
    url_name="payments_collections",
    summary="Daily collection report of an agency",
)
def collections(request, params: Query[CollectionQuery]):
    agency = reconciliation.check_reader(request.auth, params.agency)
    return queries.daily_collection(agency, params.date or timezone.localdate())


# Declared before /payments/{payment_id}, whose pattern would catch it.
class ReconciliationQuery(Schema):
    agency: str = Field(description="Code of the collecting agency.")
    format: Literal["json", "csv"] = "json"


class StatementLineOut(Schema):
    line_no: int
    booked_at: str
    amount: int
    transaction_id: str
    description: str
    bill_number: str
    outcome: Literal["matched", "unconfirmed", "mismatched", "duplicate", "unmatched", "ignored"]
    payment: str
    payment_amount: int | None
    receipt_number: str
    note: str


class ReconciliationOut(Schema):
    agency: str
    counts: dict[str, int]
    lines: list[StatementLineOut]
    errors: list[dict]
    missing_from_statement: list[dict] = Field(
        description="Payments the gateway reported paid that no statement line shows."
    )
    gateway_exceptions: list[dict] = Field(
        description="Notifications not acted on: amount_mismatch, already_paid, unknown_bill."
    )


@router.post(
    "/payments/reconciliation",
    auth=api_auth,
    response={200: ReconciliationOut, 401: Error, 403: Error, 404: Error, 422: Error},
    url_name="payments_reconciliation",
    summary="Match a bank statement (CSV) against the agency's payments",
    description="Multipart field `file`: a UTF-8 CSV with columns for date, amount, "
    "description and (optionally) transaction id, named in English or Vietnamese (Ngày, Số "
    "tiền, Nội dung, Mã giao dịch). Changes nothing. `format=csv` gives the treasury export.",
)
def reconcile(request, params: Query[ReconciliationQuery], file: File[UploadedFile]):
    agency = reconciliation.check_reader(request.auth, params.agency)
    if file.size and file.size > reconciliation.MAX_BYTES:
        raise ValidationFailed(fields={"file": ["Tệp sao kê vượt quá 5 MB."]})
    report = reconciliation.reconcile(agency, file.read(reconciliation.MAX_BYTES + 1))
    if params.format == "csv":
        response = HttpResponse(report.to_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="doi-soat-{agency.code}.csv"'
        return response
    return report.as_dict()


@router.get(
    "/payments/{payment_id}",
    auth=api_auth,
    response={200: PaymentOut, 401: Error, 404: Error},
    url_name="payment_detail",
)
def payment_detail(request, payment_id: UUID):
    return payment_out(request, queries.payment_for(request.auth, payment_id))


@router.post(
    "/payments/{payment_id}/simulate",
    auth=api_auth,
    response={200: PaymentOut, 401: Error, 404: Error, 409: Error},
    url_name="payment_simulate",
    summary="Demo gateway: confirm the payment as the bank would",
    description="Only for payments through a gateway that can simulate (the demo gateway) "
    "while it is offered; sends the same signed notification a bank would.",
)
def simulate(request, payment_id: UUID):
    payment = queries.payment_for(request.auth, payment_id)
    services.simulate_payment(payment)
    return payment_out(request, queries.payment_detail(payment.pk))


def _qr_payload(request, payment_id: UUID) -> str:
    payment = queries.payment_for(request.auth, payment_id)
    if not payment.vietqr:
        raise NotFound("Khoản thanh toán này không có mã VietQR.")
    return payment.vietqr


@router.get("/payments/{payment_id}/qr.svg", auth=api_auth, url_name="payment_qr_svg")
def qr_svg(request, payment_id: UUID):
    return HttpResponse(
        vietqr.qr_svg(_qr_payload(request, payment_id)), content_type="image/svg+xml"
    )


@router.get("/payments/{payment_id}/qr.png", auth=api_auth, url_name="payment_qr_png")
def qr_png(request, payment_id: UUID):
    return HttpResponse(vietqr.qr_png(_qr_payload(request, payment_id)), content_type="image/png")


@router.get(
    "/payments/{payment_id}/receipt.pdf",
    auth=api_auth,
    url_name="payment_receipt_pdf",
    summary="The electronic receipt (PDF)",
)
def receipt_pdf(request, payment_id: UUID):
    receipt = queries.receipt_of(request.auth, payment_id)
    response = HttpResponse(pdf.receipt_pdf(receipt), content_type="application/pdf")
    name = f"bien-lai-{receipt.year}-{receipt.number:07d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@router.post(
    "/receipts/{receipt_id}/cancel",
    auth=api_auth,
    response={200: ReceiptOut, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="receipt_cancel",
    summary="Cancel a receipt with a reason (never deleted)",
)
def cancel_receipt(request, receipt_id: int, body: CancelReceiptIn):
    queries.receipt_by_id(request.auth, receipt_id)
    receipt = services.cancel_receipt(receipt_id, request.auth, body.reason)
    return _receipt_out(request, receipt)


@router.post(
    "/receipts/{receipt_id}/refunds",
    auth=api_auth,
    response={201: RefundOut, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="receipt_refund",
    summary="Record a refund against a receipt",
)
def refund(request, receipt_id: int, body: RefundIn):
    queries.receipt_by_id(request.auth, receipt_id)

    def create():
        row = services.refund(
            receipt_id,
            request.auth,
            amount=body.amount,
            reason=body.reason,
            reference=body.reference,
        )
        return 201, {
            "id": row.pk,
            "receipt": row.receipt_id,
            "amount": row.amount,
            "reason": row.reason,
            "reference": row.reference,
            "refunded_at": row.refunded_at,
        }

    return idempotent(request, f"refunds:{receipt_id}", create)
