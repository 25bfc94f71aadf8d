"""What every payment gateway plugin offers: start a payment, read a notification."""

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from pydantic import ValidationError as PydanticValidationError

from motcua.core.errors import DomainError, ValidationFailed

SIGNATURE_HEADER = "X-Signature"


class BadSignature(DomainError):
    status = 401
    code = "bad_signature"
    message = "Chữ ký của thông báo thanh toán không đúng."


@dataclass(frozen=True)
class Collector:
    """The account a fee is paid into (the collecting agency's, or the treasury's)."""

    bank_bin: str
    account: str
    account_name: str = ""
    bank_name: str = ""


@dataclass(frozen=True)
class PaymentOrder:
    """What a gateway needs to start a payment; nothing in it refers to our tables."""

    bill_number: str
    amount: int
    purpose: str
    collector: Collector
    expires_at: datetime | None = None


@dataclass(frozen=True)
class PaymentStart:
    """How the payer pays: a VietQR payload to scan, and/or a page to go to."""

    vietqr: str = ""
    redirect_url: str = ""


@dataclass(frozen=True)
class Notification:
    """A gateway's word that money arrived."""

    bill_number: str
    amount: int
    transaction_id: str
    paid_at: datetime


def sign(secret: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of the raw body: the `X-Signature` a gateway sends."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, signature: str | None) -> bool:
    # An empty secret would make every signature forgeable: never accept one.
    if not secret or not signature or not signature.isascii():
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())


class NotificationBody(BaseModel):
    """The notification body of docs/api.md: {bill_number, amount, transaction_id, paid_at}."""

    model_config = ConfigDict(extra="ignore")

    bill_number: str = Field(min_length=1, max_length=60)
    amount: StrictInt = Field(gt=0)
    transaction_id: str = Field(min_length=1, max_length=100)
    paid_at: datetime


def parse_notification_body(body: bytes) -> Notification:
    try:
        data = NotificationBody.model_validate_json(body or b"{}")
    except PydanticValidationError as exc:
        fields: dict[str, list[str]] = {}
        for err in exc.errors():
            key = ".".join(str(part) for part in err["loc"]) or "__all__"
            fields.setdefault(key, []).append(err["msg"])
        raise ValidationFailed("Thông báo thanh toán không hợp lệ.", fields=fields) from None
    paid_at = data.paid_at
    if timezone.is_naive(paid_at):
        # Banks in Vietnam report local time when they leave out the offset.
        paid_at = timezone.make_aware(paid_at, timezone.get_default_timezone())
    return Notification(
        bill_number=data.bill_number.strip(),
        amount=data.amount,
        transaction_id=data.transaction_id.strip(),
        paid_at=paid_at,
    )


class BasePlugin:
    """A payment gateway. Subclasses set `identifier` and `verbose_name` and register with
    `motcua.payments.plugins.registry.register`."""

    identifier: str = ""
    verbose_name: str = ""
    # Whether the payer can finish the payment from our own pages (the demo gateway).
    can_simulate: bool = False

    def start_payment(self, order: PaymentOrder) -> PaymentStart:
        raise NotImplementedError

    def parse_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        """Verify a notification's authenticity, then read it; BadSignature if not authentic."""
        raise NotImplementedError
