"""Messages sent at once (one-time codes), as the lower apps see them.

`accounts` and `dossiers` send codes by SMS or e-mail but sit below `integrations`, which owns
the gateways: they call `send_now`, a port that `integrations` fills with its sender
(integrations/direct.py). How a recipient is shown where people may read it is one rule,
here, for every app.
"""

from motcua.core.ports import Port


class DeliveryFailed(Exception):
    """The e-mail server or the SMS gateway did not take the message."""


# send_now(channel, recipient, subject, body, *, reference): send by "email" or "sms" now;
# raise DeliveryFailed. `reference` names the message in the logs (never personal data).
send_now = Port("direct message sender")


def mask_phone(phone: str) -> str:
    """`*******678`: enough for an operator to tell two numbers apart, not to call one."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "*" * max(0, len(digits) - 3) + digits[-3:] if digits else ""


def mask_recipient(recipient: str) -> str:
    """`*******678` for a phone, `a***@example.vn` for an e-mail address."""
    if "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    return mask_phone(recipient)
