import json
import uuid
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from motcua.payments.plugins.base import SIGNATURE_HEADER, sign
from motcua.payments.plugins.contrib.bank_transfer.plugin import BankTransferPlugin
from motcua.payments.plugins.registry import register


@register("demo")
class DemoPlugin(BankTransferPlugin):
    verbose_name = "Cổng thanh toán thử nghiệm"
    can_simulate = True

    def simulate_notification(
        self,
        *,
        bill_number: str,
        amount: int,
        transaction_id: str | None = None,
        paid_at: datetime | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """The raw body and headers the bank would send once `amount` đồng arrived."""
        body = json.dumps(
            {
                "bill_number": bill_number,
                "amount": amount,
                "transaction_id": transaction_id or f"DEMO-{uuid.uuid4().hex[:16].upper()}",
                "paid_at": timezone.localtime(paid_at or timezone.now()).isoformat(),
            }
        ).encode()
        return body, {SIGNATURE_HEADER: sign(settings.PAYMENT_WEBHOOK_SECRET, body)}
