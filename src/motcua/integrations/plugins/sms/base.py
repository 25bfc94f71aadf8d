"""What every SMS sender offers."""


class SmsError(Exception):
    """The gateway did not take the message; the outbox tries again later."""


class BaseSmsSender:
    identifier = ""

    def send(self, phone: str, text: str, *, reference: str = "") -> None:
        """Hand `text` to the gateway for `phone`; raise SmsError when it is not taken.
        `reference` names the outbox message (never personal data)."""
        raise NotImplementedError
