"""`POST /api/v1/auth/token`: a bearer token for a username and password (docs/api.md, "Auth")."""

from django.conf import settings
from django.contrib.auth import logout
from ninja import Router, Schema, Status
from pydantic import Field

from motcua.backoffice.second_factor import second_factor_required
from motcua.core.api.auth import api_auth
from motcua.core.api.errors import ErrorOut
from motcua.core.ratelimit import check_rate
from motcua.core.services import issue_api_token, login_for_token, revoke_api_token

router = Router(tags=["auth"])

# Per client address, and per username tried, so that neither many accounts from one
# address nor one account from many addresses can be guessed at speed.
LOGIN_LIMIT_PER_IP = (20, 60)
LOGIN_LIMIT_PER_USERNAME = (10, 15 * 60)


class TokenRequest(Schema):
    username: str = Field(
        ..., min_length=1, max_length=150, description="Citizens: the 12-digit ID number."
    )
    password: str = Field(..., min_length=1, max_length=256)
    otp: str | None = Field(
        None,
        max_length=16,
        description="TOTP code of the authenticator app: required of heads and leaders and of "
        "accounts with two-factor on (else 401 `otp_required`).",
    )


class TokenOut(Schema):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int = Field(
        ..., description="Seconds until the token expires (sooner for two-factor accounts)."
    )


@router.post(
    "/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Get a bearer token",
)
def token(request, payload: TokenRequest):
    check_rate(request, "auth-token", *LOGIN_LIMIT_PER_IP)
    check_rate(request, "auth-token-user", *LOGIN_LIMIT_PER_USERNAME, key=payload.username.strip())
    user = login_for_token(
        request,
        payload.username,
        payload.password,
        payload.otp,
        second_factor_required=second_factor_required,
    )
    # Who must give a second factor (heads, leaders, anyone enrolled) gets a shorter token.
    ttl = settings.API_TOKEN_TTL_SECONDS
    if second_factor_required(user):
        ttl = min(ttl, settings.API_TOKEN_TTL_SECONDS_SECOND_FACTOR)
    access_token, _ = issue_api_token(user, ttl_seconds=ttl)
    return {"access_token": access_token, "token_type": "Bearer", "expires_in": ttl}


class MeOut(Schema):
    username: str
    full_name: str
    is_staff: bool


@router.get("/me", auth=api_auth, response={200: MeOut, 401: ErrorOut}, summary="Who am I")
def me(request):
    user = request.auth
    return {"username": user.username, "full_name": user.full_name, "is_staff": user.is_staff}


@router.post(
    "/revoke",
    auth=api_auth,
    response={204: None, 401: ErrorOut, 403: ErrorOut},
    summary="Revoke the bearer token used (or end the session)",
)
def revoke(request):
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        revoke_api_token(token.strip())
    else:
        logout(request)
    return Status(204, None)
