"""Use cases of the core app: API tokens and housekeeping."""

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from motcua.core.errors import NotAuthenticated
from motcua.core.models import ApiToken, IdempotencyRecord, User

TOKEN_PREFIX = "mct_"
ID_NUMBER = re.compile(r"^\d{12}$")
# A last-used time a minute old is precise enough, and saves a write on every request.
LAST_USED_PRECISION = timedelta(seconds=60)


def _hash(token: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough (nothing to brute-force).
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User) -> tuple[str, ApiToken]:
    """A new bearer token for `user`; the clear token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,
        key_hash=_hash(token),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        expires_at=timezone.now() + timedelta(seconds=settings.API_TOKEN_TTL_SECONDS),
    )
    return token, record


def user_for_api_token(token: str) -> User | None:
    """The active user a valid, unexpired token belongs to; None otherwise."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(token), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def revoke_api_token(token: str) -> bool:
    return ApiToken.objects.filter(key_hash=_hash(token)).delete()[0] > 0


def login_for_token(request, username: str, password: str, otp: str | None) -> User:
    """Check the credentials (and the one-time code of users who have two-factor on).

    Citizens sign in with their 12-digit ID number; their username is that number, and an
    account whose username differs is still found by `id_number`.
    """
    username = username.strip()
    if ID_NUMBER.match(username) and not User.objects.filter(username=username).exists():
        match = User.objects.filter(id_number=username).values_list("username", flat=True)
        username = match.first() or username
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise NotAuthenticated("Tên đăng nhập hoặc mật khẩu không đúng.")
    from django_otp import match_token, user_has_device

    if user_has_device(user, confirmed=True):
        if not otp:
            raise NotAuthenticated(
                "Tài khoản này bật xác thực hai lớp: cần nhập mã OTP.", fields={"otp": ["required"]}
            )
        if match_token(user, otp.strip()) is None:
            raise NotAuthenticated(
                "Mã OTP không đúng hoặc đã hết hạn.", fields={"otp": ["invalid"]}
            )
    return user


@transaction.atomic
def purge_expired(now=None) -> dict[str, int]:
    """Delete expired API tokens and idempotency records past their keeping time."""
    now = now or timezone.now()
    tokens = ApiToken.objects.filter(expires_at__lte=now).delete()[0]
    keep = timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    records = IdempotencyRecord.objects.filter(created_at__lt=now - keep).delete()[0]
    return {"api_tokens": tokens, "idempotency_records": records}
