"""Messages sent at once rather than through the outbox: one-time codes (the sender that
fills `core.messaging.send_now`).

A code is useless minutes later and must not sit readable in a table, so it is not written to
the outbox (which keeps bodies for retries). The caller learns at once whether the gateway
took it and may ask for a new one. Neither the recipient nor the text is logged.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage

from motcua.core.messaging import DeliveryFailed, mask_recipient

from .plugins.sms.registry import register as sms_senders

logger = logging.getLogger("motcua.integrations")


def send_now(channel: str, recipient: str, subject: str, body: str, *, reference: str) -> None:
    """Send `body` to `recipient` by "email" or "sms" now; raise DeliveryFailed.
    `reference` names the message in the logs (never personal data)."""
    try:
        if channel == "email":
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]).send()
        elif channel == "sms":
            sms_senders.active().send(recipient, body, reference=reference)
        else:
            raise ValueError(f"no sender for channel {channel}")
    except Exception as exc:
        logger.warning(
            "direct message not delivered",
            extra={"channel": channel, "reference": reference, "error": type(exc).__name__},
        )
        raise DeliveryFailed(type(exc).__name__) from exc
    logger.info(
        "direct message sent",
        extra={"channel": channel, "reference": reference, "to": mask_recipient(recipient)},
    )
