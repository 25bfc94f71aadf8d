"""Sign-up with the ID number, confirmation by a one-time code, password reset."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import OneTimeCode, Verification
from motcua.accounts.queries import is_confirmed
from motcua.core.errors import DomainError, RateLimited, ValidationFailed

from . import factories
from .conftest import last_emailed_code

pytestmark = pytest.mark.django_db
User = get_user_model()

SIGN_UP = "/tai-khoan/dang-ky/"
CONFIRM = "/tai-khoan/xac-nhan/"


def _form(**extra):
    return {
        "id_number": factories.id_number(),
        "full_name": "Nguyễn Thị Hoa",
        "phone": "0912 345 678",
        "email": "",
        "password1": factories.PASSWORD,
        "password2": factories.PASSWORD,
        **extra,
    }


def _request():
    request = RequestFactory().post("/")
    request.user = AnonymousUser()  # rate limits go by address
    return request


def test_sign_up_signs_in_sends_a_code_and_the_code_confirms(client, sms):
    data = _form()
    response = client.post(SIGN_UP, data)
    assert response.status_code == 302 and response["Location"] == CONFIRM
    user = User.objects.get(username=data["id_number"])
    assert user.id_number == data["id_number"] and user.phone == "0912345678"
    assert user.password.startswith("argon2")
    assert not is_confirmed(user)
    assert sms[-1][0] == "0912345678"
    code = sms.last_code()
    # The code itself is not stored.
    row = OneTimeCode.objects.get(user=user)
    assert row.code_hash != code and len(row.code_hash) == 64
    html = client.get(CONFIRM).content.decode()
    assert "*******678" in html and "0912345678" not in html
    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302
    assert is_confirmed(user)
    assert Verification.objects.get(user=user).confirmed_phone == "0912345678"


def test_sign_up_with_email_only(client, sms):
    client.post(SIGN_UP, _form(phone="", email="Hoa@Example.vn"))
    assert not sms and mail.outbox[-1].to == ["hoa@example.vn"]
    client.post(CONFIRM, {"code": last_emailed_code()})
    assert is_confirmed(User.objects.get(email="hoa@example.vn"))


@pytest.mark.parametrize(
    "field,value",
    [
        ("id_number", "12345678901"),  # 11 digits
        ("id_number", "999123456789"),  # no such province
        ("phone", "12345"),
        ("password1", "12345678"),  # numeric only
        ("password2", "Khac-mat-khau-2026"),
        ("full_name", ""),
    ],
)
def test_sign_up_rules(client, field, value):
    data = _form(**{field: value})
    if field == "password1":
        data["password2"] = value
    response = client.post(SIGN_UP, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and f'href="#id_{field}"' in html
    assert not User.objects.exists()


def test_sign_up_needs_phone_or_email(client):
    response = client.post(SIGN_UP, _form(phone="", email=""))
    assert response.status_code == 422 and not User.objects.exists()


def test_existing_account_for_the_id_number_is_not_taken_over(client, sms):
    owner = factories.citizen(phone="0987654321")
    response = client.post(SIGN_UP, _form(id_number=owner.id_number, phone="0900000000"))
    assert response.status_code == 422
    assert "đã có tài khoản" in response.content.decode()
    owner.refresh_from_db()
    assert owner.phone == "0987654321" and owner.check_password(factories.PASSWORD)
    assert User.objects.count() == 1 and not sms


def test_wrong_codes_count_and_lock_the_code(sms):
    user = factories.citizen(phone="0912345678")
    Verification.objects.create(user=user)
    services.send_code(_request(), user, "confirm", "sms", "0912345678")
    wrong = f"{(int(sms.last_code()) + 1) % 10**6:06d}"
    for _ in range(services.CODE_MAX_ATTEMPTS - 1):
        with pytest.raises(ValidationFailed) as error:
            services.confirm_contact(user, wrong)
        assert error.value.code == "code_wrong"
    with pytest.raises(ValidationFailed) as error:
        services.confirm_contact(user, wrong)
    assert error.value.code == "code_attempts"
    assert OneTimeCode.objects.get().attempts == services.CODE_MAX_ATTEMPTS
    assert not is_confirmed(user)


def test_the_right_code_after_too_many_attempts_is_refused(sms):
    user = factories.citizen(phone="0912345678")
    Verification.objects.create(user=user)
    services.send_code(_request(), user, "confirm", "sms", "0912345678")
    code = sms.last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(services.CODE_MAX_ATTEMPTS):
        with pytest.raises(ValidationFailed):
            services.confirm_contact(user, wrong)
    with pytest.raises(ValidationFailed) as error:
        services.confirm_contact(user, code)
    assert error.value.code == "code_attempts"


def test_code_expires(sms):
    user = factories.citizen(phone="0912345678")
    Verification.objects.create(user=user)
    services.send_code(_request(), user, "confirm", "sms", "0912345678")
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationFailed) as error:
        services.confirm_contact(user, sms.last_code())
    assert error.value.code == "code_expired"


def test_a_new_code_replaces_the_old_one(sms):
    user = factories.citizen(phone="0912345678")
    Verification.objects.create(user=user)
    services.send_code(_request(), user, "confirm", "sms", "0912345678")
    first = sms.last_code()
    services.send_code(_request(), user, "confirm", "sms", "0912345678")
    if first != sms.last_code():
        with pytest.raises(ValidationFailed):
            services.confirm_contact(user, first)
    services.confirm_contact(user, sms.last_code())
    assert is_confirmed(user)


def test_resending_is_rate_limited():
    user = factories.citizen(phone="0912345678")
    limit, _ = services.CODE_SEND_LIMIT
    for _ in range(limit):
        services.send_code(_request(), user, "confirm", "sms", "0912345678")
    with pytest.raises(RateLimited):
        services.send_code(_request(), user, "confirm", "sms", "0912345678")


def test_changed_contact_is_no_longer_confirmed(sms):
    user = factories.citizen(phone="0912345678")
    Verification.objects.create(user=user)
    services.send_code(_request(), user, "confirm", "sms", "0912345678")
    services.confirm_contact(user, sms.last_code())
    assert is_confirmed(user)
    user.phone = "0999999999"
    user.save()
    assert not is_confirmed(user)


def test_accounts_opened_by_staff_are_confirmed_and_anonymous_is_not():
    from django.contrib.auth.models import AnonymousUser

    assert is_confirmed(factories.citizen())
    assert not is_confirmed(AnonymousUser())


def test_failed_delivery_is_a_clear_error_and_the_code_is_dead(monkeypatch):
    user = factories.citizen(phone="0912345678")

    class Down:
        def send(self, *args, **kwargs):
            raise OSError("gateway down 0912345678")

    monkeypatch.setattr("motcua.integrations.direct.sms_senders.active", lambda: Down())
    with pytest.raises(DomainError) as error:
        services.send_code(_request(), user, "confirm", "sms", "0912345678")
    assert error.value.code == "delivery_failed"
    assert OneTimeCode.objects.get().used_at is not None


def test_code_and_phone_are_not_logged(client, sms, caplog):
    caplog.set_level("DEBUG")
    client.post(SIGN_UP, _form())
    code = sms.last_code()
    assert "0912345678" not in caplog.text and code not in caplog.text


# ----------------------------------------------------------------------------- reset


def test_password_reset_by_code(client, sms):
    user = factories.citizen(phone="0912345678")
    response = client.post(
        "/tai-khoan/quen-mat-khau/", {"username": user.id_number, "channel": "sms"}
    )
    assert response.status_code == 302
    new = "Mat-khau-moi-2026"
    response = client.post(
        "/tai-khoan/quen-mat-khau/dat-lai/",
        {"code": sms.last_code(), "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_reset_for_unknown_account_looks_the_same(client, sms):
    response = client.post(
        "/tai-khoan/quen-mat-khau/", {"username": factories.id_number(), "channel": "sms"}
    )
    assert response.status_code == 302 and not sms
    response = client.post(
        "/tai-khoan/quen-mat-khau/dat-lai/",
        {
            "code": "123456",
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert response.status_code == 422
    assert "Mã xác nhận không đúng." in response.content.decode()


def test_reset_goes_only_to_confirmed_contacts(sms):
    user = factories.citizen(phone="0912345678", email="an@example.vn")
    Verification.objects.create(user=user, confirmed_email="an@example.vn")
    services.start_password_reset(_request(), user.id_number, "sms")
    assert not sms  # the phone was never confirmed
    services.start_password_reset(_request(), user.id_number, "email")
    assert mail.outbox[-1].to == ["an@example.vn"]


def test_reset_with_wrong_code_keeps_the_password(sms):
    user = factories.citizen(phone="0912345678")
    services.start_password_reset(_request(), user.id_number, "sms")
    wrong = f"{(int(sms.last_code()) + 1) % 10**6:06d}"
    with pytest.raises(ValidationFailed):
        services.complete_password_reset(user, wrong, "Mat-khau-moi-2026")
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)


def test_a_confirmation_code_does_not_reset_a_password(sms):
    user = factories.citizen(phone="0912345678")
    services.send_code(_request(), user, "confirm", "sms", "0912345678")
    with pytest.raises(ValidationFailed):
        services.complete_password_reset(user, sms.last_code(), "Mat-khau-moi-2026")
