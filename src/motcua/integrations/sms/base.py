"""What every SMS sender offers, and how phone numbers appear where people may read them."""


class SmsError(Exception):
    """The gateway did not take the message; the outbox tries again later."""


class BaseSmsSender:
    identifier = ""

    def send(self, phone: str, text: str, *, reference: str = "") -> None:
        """Hand `text` to the gateway for `phone`; raise SmsError when it is not taken.
        `reference` names the outbox message (never personal data)."""
        raise NotImplementedError


def mask_phone(phone: str) -> str:
    """`*******678`: enough for an operator to tell two numbers apart, not to call one."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "*" * max(0, len(digits) - 3) + digits[-3:] if digits else ""
