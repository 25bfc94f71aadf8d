"""`POST /api/v1/auth/token` holds the back office's rule: heads and leaders give a TOTP code,
after enrolling an authenticator; tokens of those who give one expire sooner."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.models import ApiToken
from tests.catalog import factories as catalog
from tests.dossiers.factories import officer, sign_in

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"
PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def agency():
    return catalog.agency()


def _officer(agency, *roles):
    account = officer(agency, *roles)
    account.set_password(PASSWORD)
    account.save()
    return account


def _token(client, account, **extra):
    body = {"username": account.username, "password": PASSWORD, **extra}
    return client.post(TOKEN_URL, body, content_type="application/json")


def _enrol(account) -> TOTPDevice:
    return TOTPDevice.objects.create(user=account, name="app", confirmed=True)


def _code(device) -> str:
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code.time = timezone.now().timestamp()
    return f"{code.token():06d}"


def _refused(response, reason: str) -> None:
    assert response.status_code == 401, response.content
    error = response.json()["error"]
    assert error["code"] == "otp_required"
    assert error["fields"] == {"otp": [reason]}
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", ["head", "leader"])
def test_a_signing_role_that_never_enrolled_gets_no_token(client, agency, role):
    account = _officer(agency, role)
    _refused(_token(client, account), "not_enrolled")
    _refused(_token(client, account, otp="123456"), "not_enrolled")


@pytest.mark.parametrize("role", ["head", "leader"])
def test_a_signing_role_gets_a_short_token_with_a_valid_code(client, agency, role, settings):
    account = _officer(agency, "reception", role)
    device = _enrol(account)
    _refused(_token(client, account), "required")

    response = _token(client, account, otp=_code(device))
    assert response.status_code == 200
    ttl = settings.API_TOKEN_TTL_SECONDS_SECOND_FACTOR
    assert ttl < settings.API_TOKEN_TTL_SECONDS
    assert response.json()["expires_in"] == ttl
    expires_at = ApiToken.objects.get(user=account).expires_at
    assert abs(expires_at - (timezone.now() + timedelta(seconds=ttl))) < timedelta(seconds=5)

    wrong = _token(client, account, otp="000000")
    assert wrong.status_code == 401 and wrong.json()["error"]["fields"] == {"otp": ["invalid"]}


def test_the_short_lifetime_is_a_setting_never_longer_than_the_default(client, agency, settings):
    first, second = _officer(agency, "leader"), _officer(agency, "head")
    settings.API_TOKEN_TTL_SECONDS_SECOND_FACTOR = 600
    assert _token(client, first, otp=_code(_enrol(first))).json()["expires_in"] == 600
    settings.API_TOKEN_TTL_SECONDS_SECOND_FACTOR = 10 * settings.API_TOKEN_TTL_SECONDS
    response = _token(client, second, otp=_code(_enrol(second)))
    assert response.json()["expires_in"] == settings.API_TOKEN_TTL_SECONDS


def test_reception_needs_no_code_and_keeps_the_usual_lifetime(client, agency, settings):
    response = _token(client, _officer(agency, "reception", "specialist"))
    assert response.status_code == 200
    assert response.json()["expires_in"] == settings.API_TOKEN_TTL_SECONDS


def test_an_enrolled_officer_of_any_role_gives_the_code_and_gets_a_short_token(
    client, agency, settings
):
    account = _officer(agency, "reception")
    device = _enrol(account)
    _refused(_token(client, account), "required")
    response = _token(client, account, otp=_code(device))
    assert response.json()["expires_in"] == settings.API_TOKEN_TTL_SECONDS_SECOND_FACTOR


def test_switched_off_a_leader_signs_in_with_the_password(client, agency, settings):
    settings.OFFICER_TWO_FACTOR_REQUIRED = False
    response = _token(client, _officer(agency, "leader"))
    assert response.status_code == 200
    assert response.json()["expires_in"] == settings.API_TOKEN_TTL_SECONDS


def test_a_leaders_session_without_the_second_factor_does_not_reach_the_api(agency):
    """The API is another door: a leader's session that skipped the one-time code (signed in
    on a page that asks for no code) is refused there too; after the code it works."""
    leader = _officer(agency, "leader")
    client = Client()
    client.force_login(leader)
    refused = client.get("/api/v1/dossiers")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "otp_required"
    assert sign_in(Client(), leader).get("/api/v1/dossiers").status_code == 200
    # A reception officer's (or a citizen's) session needs no second factor.
    reception = Client()
    reception.force_login(_officer(agency, "reception"))
    assert reception.get("/api/v1/dossiers").status_code == 200
