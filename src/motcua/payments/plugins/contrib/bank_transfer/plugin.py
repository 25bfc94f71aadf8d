from collections.abc import Mapping

from django.conf import settings

from motcua.payments import vietqr
from motcua.payments.plugins.base import (
    SIGNATURE_HEADER,
    BadSignature,
    BasePlugin,
    Notification,
    PaymentOrder,
    PaymentStart,
    parse_notification_body,
    signature_matches,
)
from motcua.payments.plugins.registry import register


@register("bank_transfer")
class BankTransferPlugin(BasePlugin):
    verbose_name = "Chuyển khoản ngân hàng (VietQR)"

    def start_payment(self, order: PaymentOrder) -> PaymentStart:
        return PaymentStart(
            vietqr=vietqr.build_payload(
                bank_bin=order.collector.bank_bin,
                account=order.collector.account,
                amount=order.amount,
                bill_number=order.bill_number,
                purpose=order.purpose,
            )
        )

    def parse_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        # Authenticity first: nothing in an unsigned body is read, let alone trusted.
        if not signature_matches(
            settings.PAYMENT_WEBHOOK_SECRET, body, headers.get(SIGNATURE_HEADER)
        ):
            raise BadSignature()
        return parse_notification_body(body)
