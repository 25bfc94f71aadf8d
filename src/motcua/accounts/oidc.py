"""Citizens' sign-in through an OpenID Connect provider (VNeID-style).

Authorization-code flow with state, nonce and PKCE (S256); the ID token's signature is checked
against the provider's published keys (JWKS) with joserfc, and its issuer, audience, expiry
and nonce with it. The provider is found through its discovery document; discovery and keys
are cached. HTTP goes through `http_get_json` / `http_post_form` (replaced in tests).
"""

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from motcua.core.errors import DomainError

logger = logging.getLogger("motcua.accounts")

SESSION_KEY = "accounts_oidc"
# Set on a session opened through the identity provider.
VERIFIED_SESSION_KEY = "accounts_identity_verified"
TIMEOUT_SECONDS = 10
CACHE_SECONDS = 3600
# A sign-in not finished within this time is started again.
FLOW_MAX_AGE_SECONDS = 600
ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]


class OidcError(DomainError):
    status = 400
    code = "oidc_failed"
    message = _("Không đăng nhập được qua nhà cung cấp định danh. Vui lòng thử lại.")


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def http_get_json(url: str, headers: dict | None = None) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        return json.loads(response.read())


def http_post_form(url: str, data: dict, headers: dict | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            **(headers or {}),
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        return json.loads(response.read())


def _fetch(what: str, call, *args, **kwargs) -> dict:
    try:
        return call(*args, **kwargs)
    except Exception as exc:  # network, HTTP status, malformed JSON: all the provider's fault
        logger.warning(
            "oidc provider unreachable", extra={"what": what, "error": type(exc).__name__}
        )
        raise OidcError() from exc


def discovery() -> dict:
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"oidc:discovery:{hashlib.sha256(issuer.encode()).hexdigest()[:16]}"
    document = cache.get(key)
    if document is None:
        document = _fetch("discovery", http_get_json, f"{issuer}/.well-known/openid-configuration")
        if document.get("issuer", "").rstrip("/") != issuer:
            logger.warning("oidc discovery names another issuer")
            raise OidcError()
        cache.set(key, document, CACHE_SECONDS)
    return document


def _key_set(refresh: bool = False) -> KeySet:
    uri = discovery()["jwks_uri"]
    key = f"oidc:jwks:{hashlib.sha256(uri.encode()).hexdigest()[:16]}"
    keys = None if refresh else cache.get(key)
    if keys is None:
        keys = _fetch("jwks", http_get_json, uri)
        cache.set(key, keys, CACHE_SECONDS)
    return KeySet.import_key_set(keys)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def authorization_url(session, redirect_uri: str, next_url: str) -> str:
    """Where to send the browser; remembers state, nonce and the PKCE verifier in the
    session for the callback."""
    state, nonce, verifier = (
        secrets.token_urlsafe(32),
        secrets.token_urlsafe(32),
        secrets.token_urlsafe(64),
    )
    session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
        "redirect_uri": redirect_uri,
        "started": int(time.time()),
    }
    params = {
        "response_type": "code",
        "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": settings.OIDC_SCOPES,
        "state": state,
        "nonce": nonce,
        "code_challenge": _b64url(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    endpoint = discovery()["authorization_endpoint"]
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode(params)}"


def _verified_claims(id_token: str, nonce: str) -> dict:
    try:
        try:
            token = jwt.decode(id_token, _key_set(), algorithms=ALGORITHMS)
        except JoseError:
            # The provider may have rotated its keys since they were cached.
            token = jwt.decode(id_token, _key_set(refresh=True), algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": discovery()["issuer"]},
            aud={"essential": True, "value": settings.OIDC_CLIENT_ID},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
            sub={"essential": True},
            leeway=60,
        ).validate(token.claims)
    except (JoseError, ValueError, TypeError) as exc:
        logger.warning("oidc id token refused", extra={"error": type(exc).__name__})
        raise OidcError() from exc
    claims = token.claims
    audience = claims.get("aud")
    if (
        isinstance(audience, list)
        and len(audience) > 1
        and claims.get("azp") != settings.OIDC_CLIENT_ID
    ):
        raise OidcError()
    return claims


def finish(session, params) -> tuple[dict, str]:
    """Check the provider's answer at the callback; the verified claims (merged with
    userinfo when the ID number is not in the ID token) and where to go next."""
    flow = session.pop(SESSION_KEY, None)
    if params.get("error"):
        raise OidcError(
            _("Bạn đã hủy hoặc nhà cung cấp định danh từ chối đăng nhập."), code="oidc_denied"
        )
    if not flow or time.time() - flow.get("started", 0) > FLOW_MAX_AGE_SECONDS:
        raise OidcError(_("Phiên đăng nhập đã hết hạn. Vui lòng thử lại."), code="oidc_expired")
    if not hmac.compare_digest(str(params.get("state", "")), flow["state"]):
        logger.warning("oidc state mismatch")
        raise OidcError(code="oidc_state")
    code = params.get("code")
    if not code:
        raise OidcError()
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": flow["redirect_uri"],
        "code_verifier": flow["verifier"],
        "client_id": settings.OIDC_CLIENT_ID,
    }
    secret = f"{urllib.parse.quote(settings.OIDC_CLIENT_ID, safe='')}:{urllib.parse.quote(settings.OIDC_CLIENT_SECRET, safe='')}"
    headers = {"Authorization": "Basic " + base64.b64encode(secret.encode()).decode()}
    tokens = _fetch("token", http_post_form, discovery()["token_endpoint"], data, headers)
    if not isinstance(tokens, dict) or not tokens.get("id_token"):
        raise OidcError()
    claims = dict(_verified_claims(tokens["id_token"], flow["nonce"]))
    if settings.OIDC_ID_NUMBER_CLAIM not in claims and discovery().get("userinfo_endpoint"):
        info = _fetch(
            "userinfo",
            http_get_json,
            discovery()["userinfo_endpoint"],
            {"Authorization": f"Bearer {tokens.get('access_token', '')}"},
        )
        # Userinfo counts only for the same subject (OpenID Connect Core 5.3.2).
        if isinstance(info, dict) and info.get("sub") == claims["sub"]:
            claims = {**info, **claims}
    return claims, flow.get("next") or ""
