"""The one-time code rules shared by account codes and consent codes (core.onetime)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.accounts.models import OneTimeCode
from motcua.core import onetime
from tests.dossiers import factories

pytestmark = pytest.mark.django_db

SALT = "motcua.tests.one-time-code"


def row_for(code: str, bound_to="u1|confirm", **extra) -> OneTimeCode:
    now = timezone.now()
    return OneTimeCode.objects.create(
        user=factories.user(),
        purpose="confirm",
        channel="sms",
        recipient="0912345678",
        code_hash=onetime.code_hash(SALT, bound_to, code),
        created_at=now,
        expires_at=now + timedelta(minutes=10),
        **extra,
    )


def check(row, code, **extra):
    args = {"salt": SALT, "bound_to": "u1|confirm", "now": timezone.now(), "max_tries": 3}
    return onetime.check(row, code, **(args | extra))


def test_a_code_is_six_digits_and_kept_only_as_a_keyed_hash():
    code = onetime.new_code()
    assert len(code) == 6 and code.isdigit()
    hashed = onetime.code_hash(SALT, "u1|confirm", code)
    assert code not in hashed and len(hashed) == 64
    # Bound to what it opens: the same code for another account hashes otherwise.
    assert hashed != onetime.code_hash(SALT, "u2|confirm", code)


def test_the_right_code_opens_spaces_aside():
    row = row_for("123456")
    assert check(row, " 123 456 ") is None
    assert check(row, "123456", bound_to="u2|confirm") == onetime.WRONG


def test_wrong_tries_count_until_none_is_left():
    row = row_for("123456")
    assert [check(row, "000000") for _ in range(3)] == [onetime.WRONG] * 3
    row.refresh_from_db()
    assert row.attempts == 3
    assert check(row, "123456") == onetime.TOO_MANY  # even the right one, now


def test_an_expired_or_used_code_opens_nothing():
    row = row_for("123456")
    assert check(row, "123456", now=row.expires_at + timedelta(seconds=1)) == onetime.EXPIRED
    row.used_at = timezone.now()
    assert check(row, "123456") == onetime.USED
    assert check(row, None) == onetime.USED
