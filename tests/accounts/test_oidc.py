"""Sign-in through an OpenID Connect provider, against a fake provider served in-process."""

import time
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.accounts import oidc
from motcua.accounts.models import Verification
from motcua.accounts.queries import has_verified_identity, is_confirmed

from . import factories

pytestmark = pytest.mark.django_db
User = get_user_model()

ISSUER = "https://dinhdanh.example.gov.vn"
CLIENT_ID = "motcua-portal"


class FakeProvider:
    """Discovery, JWKS and token endpoints; signs ID tokens with its own RSA key."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.claims = {}
        self.signing_key = self.key
        self.token_requests = []
        self.header = {"alg": "RS256", "kid": "k1"}

    def get(self, url, headers=None):
        if url == f"{ISSUER}/.well-known/openid-configuration":
            return {
                "issuer": ISSUER,
                "authorization_endpoint": f"{ISSUER}/authorize",
                "token_endpoint": f"{ISSUER}/token",
                "jwks_uri": f"{ISSUER}/jwks",
                "userinfo_endpoint": f"{ISSUER}/userinfo",
            }
        if url == f"{ISSUER}/jwks":
            return {"keys": [self.key.as_dict(private=False)]}
        if url == f"{ISSUER}/userinfo":
            return {"sub": "sub-1", "citizen_id": self.userinfo_id}
        raise AssertionError(url)

    def post(self, url, data, headers=None):
        assert url == f"{ISSUER}/token"
        self.token_requests.append((data, headers))
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "sub-1",
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce,
            "citizen_id": "001090000123",
            "name": "Trần Văn Định",
            **self.claims,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        return {
            "access_token": "at",
            "token_type": "Bearer",
            "id_token": jwt.encode(self.header, claims, self.signing_key),
        }


@pytest.fixture
def provider(settings, monkeypatch):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = "bi-mat"
    settings.OIDC_ID_NUMBER_CLAIM = "citizen_id"
    fake = FakeProvider()
    monkeypatch.setattr(oidc, "http_get_json", fake.get)
    monkeypatch.setattr(oidc, "http_post_form", fake.post)
    from django.core.cache import cache

    cache.clear()
    return fake


def _start(client, provider, next_url="/thu-tuc/"):
    response = client.post("/tai-khoan/dinh-danh/", {"next": next_url})
    assert response.status_code == 302
    url = urllib.parse.urlparse(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ISSUER}/authorize"
    query = dict(urllib.parse.parse_qsl(url.query))
    provider.nonce = query["nonce"]
    return query


def test_login_page_offers_the_provider_only_when_configured(client, provider, settings):
    assert "Đăng nhập bằng VNeID" in client.get("/tai-khoan/dang-nhap/").content.decode()
    settings.OIDC_ISSUER = ""
    assert "VNeID" not in client.get("/tai-khoan/dang-nhap/").content.decode()
    assert client.post("/tai-khoan/dinh-danh/").status_code == 404


def test_full_flow_creates_a_verified_account(client, provider):
    query = _start(client, provider)
    assert query["code_challenge_method"] == "S256" and query["client_id"] == CLIENT_ID
    assert query["scope"] == "openid profile" and query["response_type"] == "code"
    response = client.get("/tai-khoan/dinh-danh/ve/", {"code": "c0de", "state": query["state"]})
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/"
    user = User.objects.get(id_number="001090000123")
    assert user.full_name == "Trần Văn Định" and not user.has_usable_password()
    assert has_verified_identity(user) and is_confirmed(user)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[oidc.VERIFIED_SESSION_KEY] is True
    # PKCE: the verifier sent matches the challenge; the secret goes in the Basic header.
    data, headers = provider.token_requests[-1]
    import base64
    import hashlib

    challenge = base64.urlsafe_b64encode(hashlib.sha256(data["code_verifier"].encode()).digest())
    assert challenge.rstrip(b"=").decode() == query["code_challenge"]
    assert headers["Authorization"].startswith("Basic ")


def test_existing_account_is_linked_by_id_number(client, provider):
    owner = factories.citizen(id_number="001090000123", full_name="Trần Văn Định")
    query = _start(client, provider)
    client.get("/tai-khoan/dinh-danh/ve/", {"code": "c", "state": query["state"]})
    assert User.objects.count() == 1
    assert int(client.session["_auth_user_id"]) == owner.pk
    assert Verification.objects.get(user=owner).identity_subject == "sub-1"
    owner.refresh_from_db()
    assert owner.check_password(factories.PASSWORD)  # the password stays


def _refused(client, query, **params):
    response = client.get("/tai-khoan/dinh-danh/ve/", {"code": "c", **params})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/"
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_state_mismatch_is_refused(client, provider):
    query = _start(client, provider)
    _refused(client, query, state=query["state"] + "x")
    assert not provider.token_requests


def test_callback_without_a_started_flow_is_refused(client, provider):
    _refused(client, {}, state="anything")


def test_state_is_used_once(client, provider):
    query = _start(client, provider)
    client.get("/tai-khoan/dinh-danh/ve/", {"code": "c", "state": query["state"]})
    client.post("/tai-khoan/dang-xuat/")
    User.objects.all().delete()
    _refused(client, query, state=query["state"])


def test_nonce_mismatch_is_refused(client, provider):
    query = _start(client, provider)
    provider.nonce = "another-nonce"
    _refused(client, query, state=query["state"])


def test_bad_signature_is_refused(client, provider):
    query = _start(client, provider)
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    _refused(client, query, state=query["state"])


def test_unsigned_token_is_refused(client, provider):
    query = _start(client, provider)
    provider.header = {"alg": "none"}
    _refused(client, query, state=query["state"])


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-client"},
        {"iss": "https://evil.example"},
        {"exp": int(time.time()) - 3600},
        {"citizen_id": "12345"},  # not an ID number
    ],
)
def test_wrong_claims_are_refused(client, provider, claims):
    query = _start(client, provider)
    provider.claims = claims
    _refused(client, query, state=query["state"])


def test_id_number_from_userinfo_when_not_in_the_id_token(client, provider):
    query = _start(client, provider)
    provider.claims = {"citizen_id": None}
    provider.userinfo_id = "001090000777"
    client.get("/tai-khoan/dinh-danh/ve/", {"code": "c", "state": query["state"]})
    assert has_verified_identity(User.objects.get(id_number="001090000777"))


def test_provider_error_is_a_message_not_a_500(client, provider):
    query = _start(client, provider)
    _refused(client, query, state=query["state"], error="access_denied")


def test_unreachable_provider_is_a_message_not_a_500(client, provider, monkeypatch):
    def down(*args, **kwargs):
        raise OSError("timeout")

    monkeypatch.setattr(oidc, "http_get_json", down)
    response = client.post("/tai-khoan/dinh-danh/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/"


def test_next_is_kept_only_when_local(client, provider):
    query = _start(client, provider, next_url="https://evil.example/")
    response = client.get("/tai-khoan/dinh-danh/ve/", {"code": "c", "state": query["state"]})
    assert response["Location"] == "/ho-so-cua-toi/"


def test_session_opened_through_the_provider_is_marked(client, provider, rf):
    from motcua.accounts.queries import session_identity_verified

    query = _start(client, provider)
    client.get("/tai-khoan/dinh-danh/ve/", {"code": "c", "state": query["state"]})
    request = rf.get("/")
    request.user = User.objects.get()
    request.session = client.session
    assert session_identity_verified(request)
    client.post("/tai-khoan/dang-xuat/")
    factories_user = factories.citizen()
    client.post(
        "/tai-khoan/dang-nhap/",
        {"username": factories_user.id_number, "password": factories.PASSWORD},
    )
    request.user, request.session = factories_user, client.session
    assert not session_identity_verified(request)
