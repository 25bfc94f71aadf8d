"""Payments use cases: start a payment for what a dossier owes, take a gateway's word that it
was paid, record cash at the counter, issue, cancel and refund receipts.

Locks are always taken in the same order — the dossier, then its payments, then the agency's
receipt counter — so that callbacks and counter payments never wait on each other in a cycle.
The receipt counter comes last: it is where an agency's payments queue (like dossier codes).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from motcua.catalog.models import OfficerRole
from motcua.core import sequences
from motcua.core.errors import ActionNotAllowed, DomainError, Forbidden, NotFound, ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.models import Status as DossierStatus
from motcua.dossiers.queries import dossier_for, officer_roles
from motcua.integrations.notifications import notify_applicant

from . import fees
from .models import (
    CollectionAccount,
    GatewayNotification,
    Payment,
    Receipt,
    ReceiptSequence,
    Refund,
)
from .money import format_vnd
from .plugins.base import Collector, Notification, PaymentOrder
from .plugins.registry import register
from .vietqr import fold_purpose

logger = logging.getLogger(__name__)

COUNTER_METHODS = (Payment.Method.CASH, Payment.Method.CARD)


class NothingDue(DomainError):
    status = 409
    code = "nothing_due"
    message = "Hồ sơ hiện không có khoản phí, lệ phí nào phải nộp."


class AmountMismatch(DomainError):
    status = 409
    code = "amount_mismatch"
    message = "Số tiền đã chuyển khác số tiền phải nộp; khoản thu được chuyển đối soát."


class AlreadyPaid(DomainError):
    status = 409
    code = "already_paid"
    message = "Khoản thu đã được thanh toán trước đó; giao dịch được chuyển đối soát."


# -------------------------------------------------------------------------- what is owed


def _latest_request(dossier: Dossier) -> Event | None:
    """The event that put the dossier to waiting for payment: an officer's request, or the
    reception of a dossier whose fees were due before processing."""
    return (
        Event.objects.filter(dossier=dossier, to_status=DossierStatus.AWAITING_PAYMENT)
        .exclude(from_status=DossierStatus.AWAITING_PAYMENT)
        .order_by("-seq")
        .first()
    )


def _amount_asked(request: Event | None) -> int | None:
    amount = (request.payload or {}).get("amount") if request is not None else None
    return int(amount) if amount else None


def requested_amount(dossier: Dossier) -> int | None:
    """The amount asked for when the dossier was last put to waiting for payment (by an
    officer's `request_payment`, or at reception when its fees were due before processing),
    None when it never was. An event that leaves it waiting (an apology letter) asks for
    nothing and does not count."""
    return _amount_asked(_latest_request(dossier))


def _paid_total(dossier: Dossier, since: datetime | None = None) -> int:
    rows = Payment.objects.filter(dossier=dossier, status=Payment.Status.PAID)
    # Money paid elsewhere (e.g. at the tax office) that an officer recorded on the dossier:
    # a `record_payment` with no payment of ours behind it.
    elsewhere = Event.objects.filter(dossier=dossier, action="record_payment").exclude(
        payload__has_key="payment"
    )
    if since is not None:
        # By when the payment was started here, not the bank's `paid_at`: the bank's clock
        # is not ours, and a code issued after the request pays that request.
        rows = rows.filter(created_at__gte=since)
        elsewhere = elsewhere.filter(at__gte=since)
    ours = rows.aggregate(total=Sum("amount"))["total"] or 0
    return ours + sum(
        int((p or {}).get("amount") or 0) for p in elsewhere.values_list("payload", flat=True)
    )


def schedule_is_due(dossier: Dossier) -> bool:
    """Whether the procedure's fees are owed at this point of the dossier's life: from
    submission when paid at submission, from reception when paid before processing or before
    the result is returned (Procedure.payment_due)."""
    if dossier.procedure.payment_due == dossier.procedure.PaymentDue.AT_SUBMISSION:
        return True
    return dossier.received_at is not None


def blocks_processing(dossier: Dossier) -> bool:
    """Fees that must be paid before the dossier is processed (at submission or before)."""
    due = dossier.procedure.PaymentDue
    return dossier.procedure.payment_due in (due.AT_SUBMISSION, due.BEFORE_PROCESSING)


def amount_owed(dossier: Dossier, *, nothing_paid: bool = False) -> fees.FeesDue:
    """What the dossier owes now, line by line, with why (exempt lines stay, at 0 đ).

    Waiting for payment an officer asked for: that amount less what was paid since. Otherwise
    the procedure's fees (by channel, form answers and exemptions) once they are due (see
    `schedule_is_due`), less what was paid. `nothing_paid`: the caller knows no money came
    in yet (a dossier just submitted), which saves the queries.
    """
    if not dossier_services.may_be_paid(dossier):
        return fees.FeesDue(())
    schedule = fees.fees_due(dossier.procedure, dossier.channel, dossier.form)
    if dossier.status == DossierStatus.AWAITING_PAYMENT:
        request = _latest_request(dossier)
        if request is not None and request.action == "request_payment":
            requested = _amount_asked(request) or 0
            owed = requested - _paid_total(dossier, since=request.at)
            if owed <= 0:
                return fees.FeesDue(())
            if owed == schedule.total:
                return schedule
            reason = request.note
            return fees.FeesDue(
                (fees.FeeLine("Nghĩa vụ tài chính theo yêu cầu", "fee", owed, 1, owed, reason),)
            )
    elif not schedule_is_due(dossier):
        return fees.FeesDue(())
    paid = 0 if nothing_paid else _paid_total(dossier)
    if paid == 0:
        return schedule
    owed = schedule.total - paid
    if owed <= 0:
        return fees.FeesDue(())
    return fees.FeesDue(
        (fees.FeeLine("Phần phí, lệ phí còn thiếu", "fee", owed, 1, owed, "đã nộp một phần"),)
    )


# ------------------------------------------------------------------------ starting to pay


def _is_reception(user, dossier: Dossier) -> bool:
    return OfficerRole.Role.RECEPTION in officer_roles(user).get(dossier.agency_id, frozenset())


def _collector(dossier: Dossier) -> Collector:
    account = CollectionAccount.objects.filter(agency_id=dossier.agency_id).first()
    if account is None:
        raise ActionNotAllowed(
            "Cơ quan tiếp nhận chưa khai báo tài khoản thu phí, lệ phí.",
            code="no_collection_account",
        )
    return Collector(
        bank_bin=account.bank_bin,
        account=account.account_number,
        account_name=account.account_name,
        bank_name=account.bank_name,
    )


def purpose_for(dossier: Dossier) -> str:
    """The transfer purpose bank apps show: the end of the dossier code, which is unique
    within the agency's day, after a short ASCII label."""
    tail = "-".join((dossier.code or "").split("-")[-2:])
    return fold_purpose(f"Le phi HS {tail}")


def expire_overdue(now: datetime | None = None, *, dossier: Dossier | None = None) -> int:
    """Mark pending VietQR payments past their expiry as expired; returns how many."""
    now = now or timezone.now()
    rows = Payment.objects.filter(status=Payment.Status.PENDING, expires_at__lte=now)
    if dossier is not None:
        rows = rows.filter(dossier=dossier)
    return rows.update(status=Payment.Status.EXPIRED)


def start_payment(
    dossier_code: str,
    actor,
    *,
    method: str = Payment.Method.VIETQR,
    gateway: str | None = None,
    now: datetime | None = None,
) -> tuple[Payment, bool]:
    """A payment for what the dossier owes now: (payment, created).

    VietQR: the pending payment for that amount if there is one, else a new one (an expired
    code is replaced by a new code). Cash or card: recorded as paid by a reception officer of
    the receiving agency, with its receipt.
    """
    now = now or timezone.now()
    if method not in Payment.Method.values:
        raise ValidationFailed(fields={"method": ["Phải là vietqr, cash hoặc card."]})
    with transaction.atomic():
        dossier = dossier_for(actor, dossier_code, for_update=True)
        expire_overdue(now, dossier=dossier)
        owed = amount_owed(dossier)
        if owed.total <= 0:
            raise NothingDue()
        if method in COUNTER_METHODS:
            if not _is_reception(actor, dossier):
                raise Forbidden(
                    "Chỉ bộ phận tiếp nhận của cơ quan mới ghi nhận tiền nộp trực tiếp."
                )
            return _record_at_counter(dossier, owed, method, actor, now), True

        plugin = register.get_enabled(gateway)
        pending = list(
            Payment.objects.select_for_update().filter(
                dossier=dossier, status=Payment.Status.PENDING, method=Payment.Method.VIETQR
            )
        )
        for payment in pending:
            if payment.amount == owed.total and payment.gateway == plugin.identifier:
                return payment, False
        # What is owed changed (or another gateway is wanted): the old code must not be paid.
        Payment.objects.filter(pk__in=[p.pk for p in pending]).update(
            status=Payment.Status.CANCELLED
        )
        expires_at = now + timedelta(minutes=settings.PAYMENT_EXPIRES_MINUTES)
        order = PaymentOrder(
            bill_number=dossier.code,
            amount=owed.total,
            purpose=purpose_for(dossier),
            collector=_collector(dossier),
            expires_at=expires_at,
        )
        start = plugin.start_payment(order)
        payment = Payment.objects.create(
            dossier=dossier,
            bill_number=order.bill_number,
            amount=order.amount,
            fee_lines=[line.as_dict() for line in owed.lines],
            purpose=order.purpose,
            method=Payment.Method.VIETQR,
            gateway=plugin.identifier,
            vietqr=start.vietqr,
            expires_at=expires_at,
            created_at=now,
            created_by=actor,
        )
    return payment, True


def _record_at_counter(dossier, owed, method, actor, now) -> Payment:
    Payment.objects.filter(dossier=dossier, status=Payment.Status.PENDING).update(
        status=Payment.Status.CANCELLED
    )
    payment = Payment.objects.create(
        dossier=dossier,
        bill_number=dossier.code,
        amount=owed.total,
        fee_lines=[line.as_dict() for line in owed.lines],
        method=method,
        status=Payment.Status.PAID,
        paid_at=now,
        created_at=now,
        created_by=actor,
    )
    receipt = _issue_receipt(payment, dossier, now)
    _move_dossier_on(dossier, payment, receipt, actor, now)
    return payment


# ------------------------------------------------------------------------------ receipts


def _issue_receipt(payment: Payment, dossier: Dossier, now: datetime) -> Receipt:
    """The next number of the agency's yearly series, from its counter row locked until
    commit: a rolled-back payment rolls its number back, so the series has no gaps."""
    year = timezone.localdate(now).year
    number = sequences.next_number(ReceiptSequence, agency=dossier.agency_id, year=year)
    applicant = dossier.applicant if isinstance(dossier.applicant, dict) else {}
    receipt = Receipt.objects.create(
        payment=payment,
        agency_id=dossier.agency_id,
        year=year,
        number=number,
        payer_name=(applicant.get("full_name") or "")[:200],
        amount=payment.amount,
        issued_at=now,
    )
    _send_receipt(receipt, dossier)
    return receipt


def _send_receipt(receipt: Receipt, dossier: Dossier) -> None:
    """The receipt goes to the applicant (portal, e-mail with the PDF attached, SMS) through
    the outbox written in this transaction: a rolled-back payment sends nothing."""
    local = timezone.localtime(receipt.issued_at)
    title = (
        f"Hồ sơ {dossier.code}: đã nhận {format_vnd(receipt.amount)}, "
        f"biên lai {receipt.display_number}"
    )
    body = "\n".join(
        [
            f"{title}.",
            f"Thủ tục: {dossier.procedure.name}.",
            f"Biên lai điện tử số {receipt.display_number} lập lúc {local:%H:%M} ngày "
            f"{local:%d/%m/%Y}, số tiền {format_vnd(receipt.amount)}.",
            f"Biên lai (PDF) gửi kèm thư này và tải về tại: {pay_page_url(dossier.code)}",
        ]
    )
    notify_applicant(
        dossier,
        title,
        body,
        at=receipt.issued_at,
        attachments=[{"kind": "receipt", "id": receipt.pk}],
    )


def pay_page_url(code: str) -> str:
    """The dossier's payment page, where its receipts are downloaded."""
    path = reverse("payments:pay", args=[code])
    return urljoin(settings.PUBLIC_BASE_URL, path) if settings.PUBLIC_BASE_URL else path


def _officer_of_receipt(actor, receipt: Receipt) -> None:
    roles = officer_roles(actor).get(receipt.agency_id, frozenset())
    if not roles & {OfficerRole.Role.RECEPTION, OfficerRole.Role.LEADER}:
        raise Forbidden(
            "Chỉ bộ phận tiếp nhận hoặc lãnh đạo cơ quan thu mới được thao tác biên lai."
        )


def cancel_receipt(receipt_id: int, actor, reason: str, *, now: datetime | None = None) -> Receipt:
    """Cancel a receipt with a reason; it keeps its number, so the series stays whole."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": ["Cần nêu lý do hủy biên lai."]})
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().filter(pk=receipt_id).first()
        if receipt is None:
            raise NotFound("Không tìm thấy biên lai.")
        _officer_of_receipt(actor, receipt)
        if receipt.status == Receipt.Status.CANCELLED:
            raise ActionNotAllowed("Biên lai đã bị hủy trước đó.")
        if receipt.refunds.exists():
            raise ActionNotAllowed("Biên lai đã có khoản hoàn tiền, không thể hủy.")
        receipt.status = Receipt.Status.CANCELLED
        receipt.cancelled_at = now or timezone.now()
        receipt.cancel_reason = reason[:2000]
        receipt.cancelled_by = actor
        receipt.save(update_fields=["status", "cancelled_at", "cancel_reason", "cancelled_by"])
    return receipt


def refund(
    receipt_id: int,
    actor,
    *,
    amount: int,
    reason: str,
    reference: str = "",
    now: datetime | None = None,
) -> Refund:
    """Record money given back against a receipt, never more than the receipt's amount."""
    reason = (reason or "").strip()
    problems = {}
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        problems["amount"] = ["Số tiền hoàn là số nguyên dương (đồng)."]
    if not reason:
        problems["reason"] = ["Cần nêu lý do hoàn tiền."]
    if problems:
        raise ValidationFailed(fields=problems)
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().filter(pk=receipt_id).first()
        if receipt is None:
            raise NotFound("Không tìm thấy biên lai.")
        _officer_of_receipt(actor, receipt)
        if receipt.status == Receipt.Status.CANCELLED:
            raise ActionNotAllowed("Không hoàn tiền theo biên lai đã hủy.")
        left = receipt.amount - receipt.refunded_total()
        if amount > left:
            raise ValidationFailed(
                fields={"amount": [f"Chỉ còn có thể hoàn tối đa {format_vnd(left)}."]}
            )
        return Refund.objects.create(
            receipt=receipt,
            amount=amount,
            reason=reason[:2000],
            reference=(reference or "")[:100],
            refunded_at=now or timezone.now(),
            recorded_by=actor,
        )


# ------------------------------------------------------------------- gateway notifications


@dataclass(frozen=True)
class NotificationResult:
    outcome: str
    payment: Payment | None
    notification: GatewayNotification

    def raise_for_outcome(self) -> None:
        """The API's answer for outcomes that are not an acknowledgement."""
        if self.outcome == GatewayNotification.Outcome.AMOUNT_MISMATCH:
            raise AmountMismatch()
        if self.outcome == GatewayNotification.Outcome.ALREADY_PAID:
            raise AlreadyPaid()
        if self.outcome == GatewayNotification.Outcome.UNKNOWN_BILL:
            raise NotFound("Không tìm thấy khoản thu có số hóa đơn này.")


def receive_notification(
    gateway: str, body: bytes, headers, *, now: datetime | None = None
) -> NotificationResult:
    """Act once on an authentic gateway notification and keep it for reconciliation.

    BadSignature (401) before anything is read or stored. A replayed transaction is kept as a
    duplicate and changes nothing; an amount that differs from the payment's is kept as a
    mismatch and does not mark the payment paid.
    """
    if gateway not in {plugin.identifier for plugin in register.enabled()}:
        raise NotFound("Không có cổng thanh toán này.")
    note = register[gateway].parse_notification(body, headers)
    now = now or timezone.now()
    raw = body.decode("utf-8", errors="replace")
    try:
        with transaction.atomic():
            return _act_on(gateway, note, raw, now)
    except IntegrityError:
        # A concurrent delivery of the same transaction committed first: this one is a replay.
        with transaction.atomic():
            return _act_on(gateway, note, raw, now)


def _act_on(gateway: str, note: Notification, raw: str, now: datetime) -> NotificationResult:
    dossier = Dossier.objects.select_for_update().filter(code=note.bill_number).first()
    payments = (
        list(
            Payment.objects.select_for_update()
            .filter(dossier=dossier, bill_number=note.bill_number)
            .order_by("-created_at")
        )
        if dossier
        else []
    )

    def keep(outcome: str, payment: Payment | None) -> NotificationResult:
        notification = GatewayNotification.objects.create(
            gateway=gateway,
            received_at=now,
            raw_body=raw,
            transaction_id=note.transaction_id,
            bill_number=note.bill_number,
            amount=note.amount,
            paid_at=note.paid_at,
            outcome=outcome,
            payment=payment,
        )
        return NotificationResult(outcome, payment, notification)

    first = (
        GatewayNotification.objects.filter(gateway=gateway, transaction_id=note.transaction_id)
        .exclude(outcome=GatewayNotification.Outcome.DUPLICATE)
        .select_related("payment")
        .first()
    )
    if first is not None or Payment.objects.filter(transaction_id=note.transaction_id).exists():
        result = keep(GatewayNotification.Outcome.DUPLICATE, first.payment if first else None)
        logger.info("payment notification replayed", extra={"transaction": note.transaction_id})
        return result

    def latest(*statuses: str, amount: int | None = None) -> Payment | None:
        for payment in payments:
            if payment.status in statuses and (amount is None or payment.amount == amount):
                return payment
        return None

    S = Payment.Status
    paid_already = latest(S.PAID)
    # A late payment of an expired code still pays the dossier if nothing else did.
    target = latest(S.PENDING, amount=note.amount) or (
        None if paid_already else latest(S.EXPIRED, amount=note.amount)
    )
    if target is not None:
        target.status = S.PAID
        target.transaction_id = note.transaction_id
        target.paid_at = note.paid_at
        target.save(update_fields=["status", "transaction_id", "paid_at"])
        result = keep(GatewayNotification.Outcome.PAID, target)
        receipt = _issue_receipt(target, dossier, now)
        _move_dossier_on(dossier, target, receipt, None, now)
        return result
    pending = latest(S.PENDING)
    if pending is not None:
        pending.status = S.MISMATCHED
        pending.save(update_fields=["status"])
        return keep(GatewayNotification.Outcome.AMOUNT_MISMATCH, pending)
    if paid_already is not None:
        return keep(GatewayNotification.Outcome.ALREADY_PAID, paid_already)
    if payments:
        return keep(GatewayNotification.Outcome.AMOUNT_MISMATCH, payments[0])
    return keep(GatewayNotification.Outcome.UNKNOWN_BILL, None)


def simulate_payment(payment: Payment) -> NotificationResult:
    """The demo gateway: send the notification the bank would send for this payment."""
    plugin = register.get(payment.gateway)
    if plugin is None or not plugin.can_simulate or plugin not in register.enabled():
        raise ActionNotAllowed("Cổng thanh toán của khoản này không cho xác nhận thử nghiệm.")
    if payment.status != Payment.Status.PENDING:
        raise ActionNotAllowed("Khoản thanh toán không còn chờ thanh toán.")
    body, headers = plugin.simulate_notification(
        bill_number=payment.bill_number, amount=payment.amount
    )
    return receive_notification(payment.gateway, body, headers)


# ------------------------------------------------------------------ moving the dossier on


def _move_dossier_on(
    dossier: Dossier, payment: Payment, receipt: Receipt, actor, now: datetime
) -> None:
    """Record the payment in the dossier's history (`record_payment`, the only door): a
    dossier waiting for payment goes back to processing once it owes nothing more; one
    waiting for reception or for its result to be returned stays where it is."""
    dossier.refresh_from_db(fields=["status"])
    if not dossier_services.records_payment(dossier):
        return
    if dossier.status == DossierStatus.AWAITING_PAYMENT and amount_owed(dossier).total > 0:
        return
    try:
        with transaction.atomic():
            dossier_services.perform(
                dossier.code,
                "record_payment",
                actor,
                now=now,
                system=None if actor is not None else "payment_gateway",
                amount=payment.amount,
                receipt_number=receipt.display_number,
                payment=str(payment.pk),
                note=f"Đã nộp {format_vnd(payment.amount)}, biên lai {receipt.display_number}.",
            )
    except DomainError as exc:
        # The money is recorded either way; the dossier then waits for the counter.
        logger.warning(
            "dossier not moved on after payment",
            extra={"dossier": dossier.code, "reason": exc.code},
        )
