"""Repeated failed password sign-ins lock the sign-in (django-axes) everywhere."""

import pytest
from axes.models import AccessAttempt
from axes.utils import reset

from motcua.accounts.forms import SIGN_IN_LIMIT_PER_ACCOUNT

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def _fail(client, url, username, times):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "sai-mat-khau"})
    return response


def test_portal_sign_in_locks_with_a_vietnamese_message(client, limit):
    user = factories.citizen()
    assert _fail(client, "/tai-khoan/dang-nhap/", user.id_number, limit - 1).status_code == 200
    response = _fail(client, "/tai-khoan/dang-nhap/", user.id_number, 1)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Bạn đã nhập sai mật khẩu quá nhiều lần" in html and "15 phút" in html
    assert int(response["Retry-After"]) == 15 * 60
    # Even the right password is refused while locked.
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": user.id_number, "password": factories.PASSWORD}
    )
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_lockout_message_in_english(client, limit):
    user = factories.citizen()
    response = _fail(client, "/tai-khoan/dang-nhap/", user.id_number, limit)
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": user.id_number, "password": "x"},
        headers={"Accept-Language": "en"},
    )
    assert "You have entered a wrong password too many times" in response.content.decode()


def test_admin_unlock_lets_the_user_in(client, limit):
    user = factories.citizen()
    _fail(client, "/tai-khoan/dang-nhap/", user.id_number, limit)
    assert AccessAttempt.objects.filter(username=user.username).exists()
    reset(username=user.username)  # what the admin's delete of the attempt does
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": user.id_number, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def test_success_before_the_limit_clears_the_count(client, limit):
    user = factories.citizen()
    _fail(client, "/tai-khoan/dang-nhap/", user.id_number, limit - 1)
    client.post(
        "/tai-khoan/dang-nhap/", {"username": user.id_number, "password": factories.PASSWORD}
    )
    client.post("/tai-khoan/dang-xuat/")
    assert _fail(client, "/tai-khoan/dang-nhap/", user.id_number, limit - 1).status_code == 200


def test_another_address_is_not_locked_out(client, limit):
    # Counted per account and address together: nobody locks a citizen out from elsewhere.
    user = factories.citizen()
    _fail(client, "/tai-khoan/dang-nhap/", user.id_number, limit)
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": user.id_number, "password": factories.PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302


def test_back_office_sign_in_locks(client, limit):
    officer = factories.citizen(username="canbo.tiepnhan")
    response = _fail(client, "/mot-cua/dang-nhap/", officer.username, limit)
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()


def test_admin_sign_in_locks(client, limit):
    staff = factories.citizen(username="quantri", is_staff=True)
    response = _fail(client, "/admin/login/", staff.username, limit)
    assert response.status_code == 429


def test_api_token_endpoint_keeps_its_own_throttle(client, limit):
    user = factories.citizen()
    for _ in range(limit + 1):
        response = client.post(
            "/api/v1/auth/token",
            {"username": user.id_number, "password": "sai"},
            content_type="application/json",
        )
        assert response.status_code == 401  # its own limit is higher (tests/api)
    assert not AccessAttempt.objects.exists()
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": user.id_number, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def test_password_reset_lifts_the_lockout(client, limit, sms):
    user = factories.citizen(phone="0912345678")
    _fail(client, "/tai-khoan/dang-nhap/", user.id_number, limit)
    client.post("/tai-khoan/quen-mat-khau/", {"username": user.id_number, "channel": "sms"})
    new = "Mat-khau-moi-2026"
    client.post(
        "/tai-khoan/quen-mat-khau/dat-lai/",
        {"code": sms.last_code(), "new_password1": new, "new_password2": new},
    )
    response = client.post("/tai-khoan/dang-nhap/", {"username": user.id_number, "password": new})
    assert response.status_code == 302


def test_one_account_guessed_from_many_addresses_is_slowed(client, settings):
    settings.AXES_FAILURE_LIMIT = 1000
    user = factories.citizen()
    limit, _ = SIGN_IN_LIMIT_PER_ACCOUNT
    for i in range(limit):
        client.post(
            "/tai-khoan/dang-nhap/",
            {"username": user.id_number, "password": "sai"},
            REMOTE_ADDR=f"10.0.0.{i + 1}",
        )
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": user.id_number, "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.1.1",
    )
    assert "_auth_user_id" not in client.session
    assert "Có quá nhiều lần đăng nhập vào tài khoản này" in response.content.decode()


def test_admin_lists_and_unlocks(client, limit):
    user = factories.citizen()
    _fail(client, "/tai-khoan/dang-nhap/", user.id_number, limit)
    admin = factories.citizen(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and user.username in page.content.decode()
    attempt = AccessAttempt.objects.get(username=user.username)
    client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    client.logout()
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": user.id_number, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
