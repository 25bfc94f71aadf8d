"""Authentication of API routes: `auth=api_auth`.

A machine client sends `Authorization: Bearer <token>` (from `POST /api/v1/auth/token`); the
web pages' scripts use the Django session, and then an unsafe method (POST, PUT, PATCH,
DELETE) must carry the CSRF token (header `X-CSRFToken`), as ninja's `django_auth` would
check. Either way the user is `request.auth` and `request.user`.

Apps above core add what they want read with the token's user (in the same query) through
`read_with_token`, and what a session must have passed (the second factor of the roles that
sign) through `require_of_sessions`, both called from an `AppConfig.ready()`.
"""

from collections.abc import Callable

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from motcua.core.errors import Forbidden, NotAuthenticated, OtpRequired
from motcua.core.services import user_for_api_token

# (columns, remember): `columns(user_id)` gives SQL expressions over the user's id column,
# read with the user and set on it by name; `remember(user)` then keeps what they said.
_TOKEN_READS: list[tuple[Callable[[str], dict[str, str]], Callable[[object], None]]] = []


def read_with_token(
    columns: Callable[[str], dict[str, str]], remember: Callable[[object], None]
) -> None:
    """Read `columns` with each token's user and hand the user to `remember` afterwards."""
    if (columns, remember) not in _TOKEN_READS:
        _TOKEN_READS.append((columns, remember))


# Checks a signed-in session must pass to use the API: `check(request)` is False when it may not.
_SESSION_CHECKS: list[Callable[[object], bool]] = []


def require_of_sessions(check: Callable[[object], bool]) -> None:
    """Refuse the API to a session for which `check(request)` is False (401 otp_required):
    the API is another door, and a rule of the sign-in holds at every door."""
    if check not in _SESSION_CHECKS:
        _SESSION_CHECKS.append(check)


class BearerToken(HttpBearer):
    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None  # let the session try
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Tiêu đề Authorization phải có dạng: Bearer <mã truy cập>.")
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        # What the apps read with the token (e.g. whether the caller holds any officer role,
        # what their account proved) comes in the same query: a citizen's submission reads
        # neither again.
        also = {}
        for columns, _ in _TOKEN_READS:
            also.update(columns("u.id"))
        user = user_for_api_token(token, also=also)
        if user is None:
            # A bad token is an error even with a session: the client meant the token.
            raise NotAuthenticated("Mã truy cập không hợp lệ hoặc đã hết hạn.")
        for _, remember in _TOKEN_READS:
            remember(user)
        request.user = user
        return user


class SessionWithCsrf(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        # Checked only once the session is known to be signed in, so an anonymous call
        # gets 401 not_authenticated rather than a CSRF failure.
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise Forbidden(
                "Thiếu hoặc sai mã CSRF: tải lại trang rồi thử lại (gửi tiêu đề X-CSRFToken)."
            )
        if not all(check(request) for check in _SESSION_CHECKS):
            raise OtpRequired(
                "Phiên đăng nhập này chưa qua bước xác thực hai lớp: đăng nhập lại và nhập mã OTP."
            )
        return user


api_auth = [BearerToken(), SessionWithCsrf()]
