import re

import pytest
from django.core import mail


class SentSms(list):
    def send(self, phone, text, *, reference=""):
        self.append((phone, text))

    def last_code(self) -> str:
        return re.search(r"\b(\d{6})\b", self[-1][1]).group(1)


@pytest.fixture(autouse=True)
def sms(monkeypatch):
    """SMS messages sent during the test, in order: [(phone, text)]."""
    sent = SentSms()
    monkeypatch.setattr("motcua.integrations.direct.sms_senders.active", lambda: sent)
    return sent


def last_emailed_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
