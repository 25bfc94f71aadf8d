from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.models import ApiToken, User

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"
REVOKE_URL = "/api/v1/auth/revoke"


@pytest.fixture
def citizen():
    return User.objects.create_user(
        username="001090012345",
        password="mat-khau-dai-1",
        full_name="Nguyễn Văn An",
        id_number="001090012345",
    )


def get_token(client, username, password, **extra):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_citizen_gets_a_bearer_token_with_the_id_number(client, citizen):
    response = get_token(client, "001090012345", "mat-khau-dai-1")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.API_TOKEN_TTL_SECONDS
    me = client.get(ME_URL, **bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json() == {
        "username": "001090012345",
        "full_name": "Nguyễn Văn An",
        "is_staff": False,
    }


def test_citizen_whose_username_is_not_the_id_number_is_found_by_it(client):
    User.objects.create_user(
        username="an.nguyen", password="mat-khau-dai-1", id_number="079201000001"
    )
    assert get_token(client, "079201000001", "mat-khau-dai-1").status_code == 200


def test_only_a_hash_of_the_token_is_stored(client, citizen):
    token = get_token(client, "001090012345", "mat-khau-dai-1").json()["access_token"]
    record = ApiToken.objects.get(user=citizen)
    assert token not in (record.key_hash, record.prefix)
    assert len(record.key_hash) == 64
    assert record.expires_at > timezone.now() + timedelta(
        seconds=settings.API_TOKEN_TTL_SECONDS - 60
    )


@pytest.mark.parametrize(
    "username,password",
    [("001090012345", "sai-mat-khau"), ("009999999999", "mat-khau-dai-1"), ("nobody", "x")],
)
def test_wrong_credentials_are_401_in_vietnamese(client, citizen, username, password):
    response = get_token(client, username, password)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"
    assert error["message"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token(client, citizen):
    citizen.is_active = False
    citizen.save()
    assert get_token(client, "001090012345", "mat-khau-dai-1").status_code == 401


def test_missing_fields_are_a_validation_error(client):
    response = client.post(TOKEN_URL, {"username": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert "password" in response.json()["error"]["fields"]


def test_guessing_one_account_is_throttled(client, citizen):
    for _ in range(10):
        assert get_token(client, "001090012345", "sai-mat-khau").status_code == 401
    response = get_token(client, "001090012345", "mat-khau-dai-1")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    # Another account from the same address is not blocked by that.
    User.objects.create_user(username="079201000002", password="mat-khau-dai-2")
    assert get_token(client, "079201000002", "mat-khau-dai-2").status_code == 200


def test_many_accounts_from_one_address_are_throttled(client):
    statuses = [get_token(client, f"0010900000{i:02d}", "x").status_code for i in range(21)]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
    other_address = Client(REMOTE_ADDR="203.0.113.9")
    assert get_token(other_address, "001090000099", "x").status_code == 401


def test_officer_with_two_factor_needs_the_one_time_code(client):
    officer = User.objects.create_user(
        username="canbo.mc", password="mat-khau-dai-3", is_staff=True
    )
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    missing = get_token(client, "canbo.mc", "mat-khau-dai-3")
    assert missing.status_code == 401
    assert missing.json()["error"]["fields"] == {"otp": ["required"]}
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code.time = timezone.now().timestamp()
    good = get_token(client, "canbo.mc", "mat-khau-dai-3", otp=f"{code.token():06d}")
    assert good.status_code == 200
    wrong = get_token(client, "canbo.mc", "mat-khau-dai-3", otp="000000")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["fields"] == {"otp": ["invalid"]}


def test_unconfirmed_device_does_not_require_a_code(client):
    officer = User.objects.create_user(username="canbo.moi", password="mat-khau-dai-3")
    TOTPDevice.objects.create(user=officer, name="app", confirmed=False)
    assert get_token(client, "canbo.moi", "mat-khau-dai-3").status_code == 200


def test_no_credentials_is_401_not_authenticated(client):
    response = client.get(ME_URL)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="motcua"'


@pytest.mark.parametrize("header", ["Bearer mct_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz"])
def test_bad_authorization_header_is_401(client, citizen, header):
    client.force_login(citizen)  # a bad token is refused even alongside a session
    response = client.get(ME_URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_expired_token_is_refused(client, citizen):
    token = get_token(client, "001090012345", "mat-khau-dai-1").json()["access_token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(ME_URL, **bearer(token)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, citizen):
    token = get_token(client, "001090012345", "mat-khau-dai-1").json()["access_token"]
    User.objects.filter(pk=citizen.pk).update(is_active=False)
    assert client.get(ME_URL, **bearer(token)).status_code == 401


def test_use_records_last_used_time(client, citizen):
    token = get_token(client, "001090012345", "mat-khau-dai-1").json()["access_token"]
    assert ApiToken.objects.get().last_used_at is None
    client.get(ME_URL, **bearer(token))
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_token_stops_working(client, citizen):
    token = get_token(client, "001090012345", "mat-khau-dai-1").json()["access_token"]
    assert client.post(REVOKE_URL, **bearer(token)).status_code == 204
    assert client.get(ME_URL, **bearer(token)).status_code == 401
    assert not ApiToken.objects.exists()


def test_session_works_for_safe_methods(client, citizen):
    client.force_login(citizen)
    assert client.get(ME_URL).json()["username"] == "001090012345"


def test_session_needs_the_csrf_token_for_unsafe_methods(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    refused = client.post(REVOKE_URL)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    secret = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    assert client.post(REVOKE_URL, HTTP_X_CSRFTOKEN=secret).status_code == 204
    assert client.get(ME_URL).status_code == 401  # the session has ended


def test_bearer_needs_no_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    token = get_token(client, "001090012345", "mat-khau-dai-1").json()["access_token"]
    assert client.post(REVOKE_URL, **bearer(token)).status_code == 204


def test_anonymous_unsafe_request_is_401_not_a_csrf_failure():
    response = Client(enforce_csrf_checks=True).post(REVOKE_URL)
    assert response.status_code == 401
