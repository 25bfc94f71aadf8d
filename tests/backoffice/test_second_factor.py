"""Officers whose roles sign or approve sign in with a TOTP code after their password."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

INBOX = "/mot-cua/"
LOGIN = "/mot-cua/dang-nhap/"
CODE_PAGE = "/mot-cua/xac-thuc-hai-lop/"
PASSWORD = "mat-khau-dai-123"


def _password(client, officer, **extra):
    officer.set_password(PASSWORD)
    officer.save()
    return client.post(LOGIN, {"username": officer.username, "password": PASSWORD, **extra})


def _code(device, offset=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.mark.parametrize("who", ["head", "leader"])
def test_signing_roles_enrol_then_enter_a_code(client, w, who):
    officer = getattr(w, who)
    response = _password(client, officer, next="/mot-cua/tiep-nhan/")
    assert response.status_code == 302 and response["Location"] == CODE_PAGE
    assert "_auth_user_id" not in client.session  # no session before the second factor
    assert client.get(INBOX).status_code == 302
    html = client.get(CODE_PAGE).content.decode()
    assert "data:image/svg+xml" in html and "Khóa bí mật" in html
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    response = client.post(CODE_PAGE, {"code": "000000" if _code(device) != "000000" else "111111"})
    assert response.status_code == 422 and "_auth_user_id" not in client.session
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(CODE_PAGE, {"code": _code(device)})
    assert response.status_code == 302 and response["Location"] == "/mot-cua/tiep-nhan/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(INBOX).status_code == 200


def test_enrolled_officer_is_asked_for_the_code_not_the_qr(client, w):
    device = TOTPDevice.objects.create(user=w.leader, confirmed=True)
    _password(client, w.leader)
    html = client.get(CODE_PAGE).content.decode()
    assert "data:image/svg+xml" not in html
    client.post(CODE_PAGE, {"code": _code(device)})
    assert client.get(INBOX).status_code == 200


def test_reception_needs_no_second_factor(client, w):
    response = _password(client, w.reception)
    assert response["Location"] == INBOX
    assert client.get(INBOX).status_code == 200


def test_reception_with_an_optional_device_is_asked_for_it(client, w):
    TOTPDevice.objects.create(user=w.reception, confirmed=True)
    assert _password(client, w.reception)["Location"] == CODE_PAGE


def test_password_only_session_of_a_leader_is_refused(client, w):
    # e.g. signed in on the admin site or the portal with the password alone
    client.force_login(w.leader)
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_code_page_without_a_password_step_goes_back_to_sign_in(client, w):
    response = client.get(CODE_PAGE)
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_repeated_wrong_codes_are_throttled(client, w):
    device = TOTPDevice.objects.create(user=w.leader, confirmed=True)
    _password(client, w.leader)
    wrong = "000000" if _code(device) != "000000" else "111111"
    for _ in range(3):
        client.post(CODE_PAGE, {"code": wrong})
    # Throttled: even the right code is refused until the back-off passes.
    response = client.post(CODE_PAGE, {"code": _code(device)})
    assert response.status_code == 422 and "_auth_user_id" not in client.session


def test_switch_off(client, w, settings):
    settings.OFFICER_TWO_FACTOR_REQUIRED = False
    assert _password(client, w.leader)["Location"] == INBOX


def test_signed_in_officer_may_enrol(as_user, w):
    client = as_user(w.reception)
    html = client.get(CODE_PAGE).content.decode()
    assert "data:image/svg+xml" in html
    device = TOTPDevice.objects.get(user=w.reception)
    client.post(CODE_PAGE, {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
