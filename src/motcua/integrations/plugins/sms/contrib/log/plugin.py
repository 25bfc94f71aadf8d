import logging

from motcua.core.messaging import mask_phone

from ...base import BaseSmsSender
from ...registry import register

logger = logging.getLogger("motcua.integrations.sms")


@register("log")
class LoggingSmsSender(BaseSmsSender):
    """Logs that a message would go out: the masked number and the length of the text only,
    since both the number and the text (codes, names) are personal data."""

    def send(self, phone: str, text: str, *, reference: str = "") -> None:
        logger.info(
            "sms logged, not sent",
            extra={"to": mask_phone(phone), "chars": len(text), "reference": reference},
        )
