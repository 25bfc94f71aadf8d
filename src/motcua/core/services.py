"""Use cases of the core app: API tokens and housekeeping."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.utils import timezone

from motcua.core import ids
from motcua.core.errors import NotAuthenticated, OtpRequired
from motcua.core.models import ApiToken, IdempotencyRecord, User

TOKEN_PREFIX = "mct_"
# A last-used time a minute old is precise enough, and saves a write on every request.
LAST_USED_PRECISION = timedelta(seconds=60)


def _hash(token: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough (nothing to brute-force).
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User, *, ttl_seconds: int | None = None) -> tuple[str, ApiToken]:
    """A new bearer token for `user`, valid `ttl_seconds` (API_TOKEN_TTL_SECONDS by default);
    the clear token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ttl = settings.API_TOKEN_TTL_SECONDS if ttl_seconds is None else ttl_seconds
    record = ApiToken.objects.create(
        user=user,
        key_hash=_hash(token),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        expires_at=timezone.now() + timedelta(seconds=ttl),
    )
    return token, record


def user_for_api_token(token: str, *, also: dict[str, str] | None = None) -> User | None:
    """The active user a valid, unexpired token belongs to; None otherwise. `also`: SQL
    expressions over the user's id column `u.id` read in the same query and set on the user
    by name (e.g. whether they hold a role).

    Every API call runs this first: written as one plain query, which costs a fraction of
    what building it with the ORM would on each request."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value
    extra = "".join(f", {sql} AS {name}" for name, sql in (also or {}).items())
    rows = User.objects.raw(
        "SELECT u.*, t.id AS api_token_id, "
        f"(t.last_used_at IS NULL OR t.last_used_at < %s) AS api_token_stale{extra} "
        f"FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id "
        "WHERE t.key_hash = %s AND t.expires_at > %s AND u.is_active",
        [at(now - LAST_USED_PRECISION), _hash(token), at(now)],
    )
    user = next(iter(rows), None)
    if user is not None and user.api_token_stale:
        ApiToken.objects.filter(pk=user.api_token_id).update(last_used_at=now)
    return user


def revoke_api_token(token: str) -> bool:
    return ApiToken.objects.filter(key_hash=_hash(token)).delete()[0] > 0


def username_for_login(login: str) -> str:
    """The username to authenticate for what someone typed: citizens type their 12-digit ID
    number, which is their username, and an account whose username differs is still found
    by `id_number`."""
    login = login.strip()
    if ids.is_id_number(login) and not User.objects.filter(username=login).exists():
        match = User.objects.filter(id_number=login).values_list("username", flat=True)
        return match.first() or login
    return login


def _has_confirmed_device(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


def login_for_token(
    request,
    username: str,
    password: str,
    otp: str | None,
    *,
    second_factor_required: Callable[[User], bool] = _has_confirmed_device,
) -> User:
    """Check the credentials, and the one-time code of users who must give one
    (`second_factor_required`; by default those who have two-factor on). One who must but
    has not enrolled an authenticator yet is refused until they do.

    Citizens sign in with their 12-digit ID number (`username_for_login`).
    """
    user = authenticate(request, username=username_for_login(username), password=password)
    if user is None:
        raise NotAuthenticated("Tên đăng nhập hoặc mật khẩu không đúng.")
    from django_otp import match_token

    if not second_factor_required(user):
        return user
    if not _has_confirmed_device(user):
        raise OtpRequired(
            "Tài khoản này phải dùng xác thực hai lớp: hãy đăng ký ứng dụng xác thực khi đăng "
            "nhập trang Một cửa, rồi gửi kèm mã OTP.",
            fields={"otp": ["not_enrolled"]},
        )
    if not otp:
        raise OtpRequired(fields={"otp": ["required"]})
    if match_token(user, otp.strip()) is None:
        raise NotAuthenticated("Mã OTP không đúng hoặc đã hết hạn.", fields={"otp": ["invalid"]})
    return user


@transaction.atomic
def purge_expired(now=None) -> dict[str, int]:
    """Delete expired API tokens and idempotency records past their keeping time."""
    now = now or timezone.now()
    tokens = ApiToken.objects.filter(expires_at__lte=now).delete()[0]
    keep = timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    records = IdempotencyRecord.objects.filter(created_at__lt=now - keep).delete()[0]
    return {"api_tokens": tokens, "idempotency_records": records}
