"""Money paid for dossiers: payments, the gateways' notifications, receipts and refunds.

Amounts are integers in đồng. Nothing here is ever deleted: a receipt is cancelled with a
reason, a payment that will not be paid expires or is cancelled, and every gateway callback
is kept for reconciliation.
"""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency


class CollectionAccount(models.Model):
    """The bank account an agency collects fees into (VietQR 38-01: bank BIN and account)."""

    agency = models.OneToOneField(
        Agency,
        on_delete=models.CASCADE,
        related_name="collection_account",
        verbose_name=_("cơ quan"),
    )
    bank_bin = models.CharField(
        _("mã BIN ngân hàng"),
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("Mã BIN gồm đúng 6 chữ số."))],
    )
    bank_name = models.CharField(_("ngân hàng"), max_length=200)
    account_number = models.CharField(
        _("số tài khoản"),
        max_length=19,
        validators=[
            RegexValidator(r"^[0-9A-Za-z]{1,19}$", _("Số tài khoản gồm chữ số hoặc chữ cái."))
        ],
    )
    account_name = models.CharField(_("tên tài khoản"), max_length=200)

    class Meta:
        verbose_name = _("tài khoản thu phí")
        verbose_name_plural = _("tài khoản thu phí")

    def __str__(self) -> str:
        return f"{self.account_number} — {self.bank_name}"


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        EXPIRED = "expired", _("Hết hạn")
        CANCELLED = "cancelled", _("Đã hủy")
        MISMATCHED = "mismatched", _("Sai số tiền, chờ đối soát")

    class Method(models.TextChoices):
        VIETQR = "vietqr", _("Chuyển khoản VietQR")
        CASH = "cash", _("Tiền mặt")
        CARD = "card", _("Thẻ ngân hàng")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("hồ sơ"),
    )
    bill_number = models.CharField(
        _("số hóa đơn"), max_length=50, db_index=True, help_text="VietQR 62-01: the dossier code."
    )
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    fee_lines = models.JSONField(
        _("các khoản thu"), default=list, help_text="[{name, kind, unit_amount, units, amount}]"
    )
    purpose = models.CharField(_("nội dung chuyển khoản"), max_length=25, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    method = models.CharField(_("hình thức"), max_length=8, choices=Method.choices)
    gateway = models.CharField(_("cổng thanh toán"), max_length=40, blank=True)
    vietqr = models.CharField(_("mã VietQR"), max_length=512, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    transaction_id = models.CharField(
        _("mã giao dịch"), max_length=100, unique=True, null=True, blank=True
    )
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        indexes = [models.Index(fields=["status", "expires_at"], name="payment_status_expiry")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False),
                name="paid_payment_has_paid_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill_number}: {self.amount} đ ({self.status})"


class GatewayNotification(models.Model):
    """One authentic callback from a gateway, as received, with what we made of it."""

    class Outcome(models.TextChoices):
        PAID = "paid", _("Đã ghi nhận thanh toán")
        DUPLICATE = "duplicate", _("Gửi lặp, đã ghi nhận trước đó")
        AMOUNT_MISMATCH = "amount_mismatch", _("Sai số tiền")
        UNKNOWN_BILL = "unknown_bill", _("Không tìm thấy khoản thu")
        ALREADY_PAID = "already_paid", _("Khoản thu đã được thanh toán trước đó")

    gateway = models.CharField(max_length=40)
    received_at = models.DateTimeField(db_index=True)
    raw_body = models.TextField()
    transaction_id = models.CharField(max_length=100, db_index=True)
    bill_number = models.CharField(max_length=60, db_index=True)
    amount = models.PositiveBigIntegerField()
    paid_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("thông báo từ cổng thanh toán")
        verbose_name_plural = _("thông báo từ cổng thanh toán")
        constraints = [
            # A transaction is acted on once; its replays are kept as duplicates.
            models.UniqueConstraint(
                fields=["gateway", "transaction_id"],
                condition=~Q(outcome="duplicate"),
                name="one_first_notification_per_transaction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.outcome}"


class ReceiptSequence(models.Model):
    """The last receipt number an agency gave in a year (the yearly series)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_receipt_counter")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last}"


class Receipt(models.Model):
    """The electronic receipt (biên lai điện tử) of a paid payment."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Đã phát hành")
        CANCELLED = "cancelled", _("Đã hủy")

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="receipts")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    payer_name = models.CharField(_("người nộp"), max_length=200)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    issued_at = models.DateTimeField(_("ngày lập"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agency", "-year", "-number"]
        verbose_name = _("biên lai")
        verbose_name_plural = _("biên lai")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="unique_receipt_number"
            ),
            models.CheckConstraint(
                condition=Q(status="issued") | ~Q(cancel_reason=""),
                name="cancelled_receipt_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def series(self) -> str:
        return f"BL-{self.year}"

    @property
    def display_number(self) -> str:
        return f"{self.series}/{self.number:07d}"

    def refunded_total(self) -> int:
        return sum(refund.amount for refund in self.refunds.all())


class Refund(models.Model):
    """Money given back against a receipt; the receipt itself stays as issued."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("số tiền hoàn (đồng)"))
    reason = models.TextField(_("lý do hoàn"))
    reference = models.CharField(_("số chứng từ hoàn"), max_length=100, blank=True)
    refunded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["receipt", "refunded_at"]
        verbose_name = _("hoàn tiền")
        verbose_name_plural = _("hoàn tiền")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.receipt} −{self.amount} đ"
