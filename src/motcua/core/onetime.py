"""One-time codes: six digits sent by SMS or e-mail, of which only a keyed hash is kept;
each wrong try counts, a code expires, and it opens what it was sent for once.

`OneTimeCodeFields` gives a model the fields (accounts.OneTimeCode confirms a contact or
resets a password; dossiers.ConsentCode carries a citizen's consent to an assisted
submission); `new_code`, `code_hash` and `check` are the rules both follow.
"""

import hmac
import secrets
from datetime import datetime

from django.db import models
from django.utils.crypto import salted_hmac

DIGITS = 6
# Why a code does not open what it was sent for (`check`).
USED, EXPIRED, TOO_MANY, WRONG = "used", "expired", "too_many", "wrong"


class OneTimeCodeFields(models.Model):
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def code_hash(salt: str, bound_to: str, code: str) -> str:
    """The code's hash, bound to what it opens (an account and a purpose, a code row).
    Keyed with SECRET_KEY: a leaked table does not give the codes away by brute force."""
    return salted_hmac(salt, f"{bound_to}|{code}", algorithm="sha256").hexdigest()


def check(row, code, *, salt: str, bound_to: str, now: datetime, max_tries: int) -> str | None:
    """Why `code` does not open `row` (USED, EXPIRED, TOO_MANY, WRONG), or None when it
    does. `row` is locked by the caller, whose transaction must commit even when the code
    is refused: a wrong try is counted on the row, so guessing stops after `max_tries`."""
    if row.used_at is not None:
        return USED
    if now > row.expires_at:
        return EXPIRED
    if row.attempts >= max_tries:
        return TOO_MANY
    given = "".join(code.split()) if isinstance(code, str) else ""
    if hmac.compare_digest(row.code_hash, code_hash(salt, bound_to, given)):
        return None
    row.attempts += 1
    row.save(update_fields=["attempts"])
    return WRONG
