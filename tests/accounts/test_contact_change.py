"""Changing the account's phone or e-mail: the new contact proves itself with a one-time code
before it replaces the old one, and the old one is told."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import OneTimeCode, Verification
from motcua.accounts.queries import is_confirmed
from motcua.integrations.models import Notification

from . import factories
from .conftest import last_emailed_code

pytestmark = pytest.mark.django_db

PAGE = "/tai-khoan/lien-he/"
CONFIRM = "/tai-khoan/lien-he/xac-nhan/"
OLD_PHONE, NEW_PHONE = "0912345678", "0987654321"


@pytest.fixture
def user():
    """An account opened online whose phone was confirmed at sign-up."""
    user = factories.citizen(phone=OLD_PHONE, email="an.cu@example.vn")
    Verification.objects.create(user=user, confirmed_phone=OLD_PHONE)
    return user


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def _ask(client, **data):
    return client.post(PAGE, {"phone": "", "email": "", "password": factories.PASSWORD, **data})


def test_the_page_needs_sign_in_and_is_linked_from_the_account_navigation(client, user):
    assert client.get(PAGE)["Location"].startswith("/tai-khoan/dang-nhap/")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert f'href="{PAGE}"' in html
    html = client.get(PAGE).content.decode()
    assert OLD_PHONE in html and "an.cu@example.vn" in html
    assert "Đã xác nhận" in html and "Chưa xác nhận" in html  # the e-mail never was


def test_a_new_phone_gets_a_code_and_replaces_the_old_one_only_once_confirmed(signed_in, user, sms):
    response = _ask(signed_in, phone="0987 654 321")
    assert response.status_code == 302 and response["Location"] == CONFIRM
    assert sms[-1][0] == NEW_PHONE
    user.refresh_from_db()
    assert user.phone == OLD_PHONE  # not yet
    html = signed_in.get(CONFIRM).content.decode()
    assert NEW_PHONE in html

    response = signed_in.post(CONFIRM, {"channel": "sms", "sms-code": sms.last_code()})
    assert response.status_code == 302 and response["Location"] == PAGE
    user.refresh_from_db()
    assert user.phone == NEW_PHONE and is_confirmed(user)
    assert Verification.objects.get(user=user).confirmed_phone == NEW_PHONE
    # The old phone is told, without the new number in full.
    assert sms[-1][0] == OLD_PHONE and "*******321" in sms[-1][1] and NEW_PHONE not in sms[-1][1]
    assert Notification.objects.get(user=user).title == "Đã đổi số điện thoại của tài khoản"
    html = signed_in.get(PAGE).content.decode()
    assert "Đã đổi số điện thoại của tài khoản thành 0987654321." in html


def test_a_new_email_is_confirmed_by_mail_and_the_old_address_is_told(signed_in, user, sms):
    _ask(signed_in, email="An.Moi@Example.vn")
    assert mail.outbox[-1].to == ["an.moi@example.vn"]
    signed_in.post(CONFIRM, {"channel": "email", "email-code": last_emailed_code()})
    user.refresh_from_db()
    assert user.email == "an.moi@example.vn" and user.phone == OLD_PHONE
    assert mail.outbox[-1].to == ["an.cu@example.vn"]
    assert "a***@example.vn" in mail.outbox[-1].body
    assert Verification.objects.get(user=user).confirmed_email == "an.moi@example.vn"


def test_phone_and_email_change_together_each_with_its_own_code(signed_in, user, sms):
    _ask(signed_in, phone=NEW_PHONE, email="an.moi@example.vn")
    phone_code, email_code = sms.last_code(), last_emailed_code()
    html = signed_in.get(CONFIRM).content.decode()
    assert NEW_PHONE in html and "an.moi@example.vn" in html
    response = signed_in.post(CONFIRM, {"channel": "email", "email-code": email_code})
    assert response["Location"] == CONFIRM  # the phone still waits
    signed_in.post(CONFIRM, {"channel": "sms", "sms-code": phone_code})
    user.refresh_from_db()
    assert (user.phone, user.email) == (NEW_PHONE, "an.moi@example.vn")


def test_a_wrong_code_changes_nothing_and_says_so_next_to_the_field(signed_in, user, sms):
    _ask(signed_in, phone=NEW_PHONE)
    wrong = "000000" if sms.last_code() != "000000" else "111111"
    response = signed_in.post(CONFIRM, {"channel": "sms", "sms-code": wrong})
    assert response.status_code == 422
    assert "Mã xác nhận không đúng." in response.content.decode()
    user.refresh_from_db()
    assert user.phone == OLD_PHONE and not Notification.objects.exists()


def test_too_many_wrong_codes_kill_the_code(signed_in, user, sms):
    _ask(signed_in, phone=NEW_PHONE)
    right = sms.last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(services.CODE_MAX_ATTEMPTS):
        signed_in.post(CONFIRM, {"channel": "sms", "sms-code": wrong})
    response = signed_in.post(CONFIRM, {"channel": "sms", "sms-code": right})
    assert "Bạn đã nhập sai quá nhiều lần." in response.content.decode()
    user.refresh_from_db()
    assert user.phone == OLD_PHONE


def test_an_expired_code_sends_the_citizen_back_to_ask_again(signed_in, user, sms):
    _ask(signed_in, phone=NEW_PHONE)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = signed_in.post(CONFIRM, {"channel": "sms", "sms-code": sms.last_code()}, follow=True)
    assert "Mã đã hết hạn" in response.content.decode()
    user.refresh_from_db()
    assert user.phone == OLD_PHONE
    assert signed_in.get(CONFIRM)["Location"] == PAGE  # nothing waits any more


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"phone": "12345"}, "phone", "Số điện thoại không hợp lệ"),
        ({"phone": OLD_PHONE}, "phone", "Đây đã là số điện thoại của tài khoản."),
        ({"email": "not-an-address"}, "email", "Địa chỉ thư điện tử không hợp lệ."),
        ({"email": "AN.CU@example.vn"}, "email", "Đây đã là thư điện tử của tài khoản."),
        ({}, "phone", "Vui lòng nhập số điện thoại mới hoặc thư điện tử mới."),
        ({"phone": NEW_PHONE, "password": "sai-mat-khau"}, "password", "Mật khẩu không đúng."),
    ],
)
def test_refusals_are_clear_and_send_nothing(signed_in, user, sms, data, field, message):
    response = _ask(signed_in, **data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and f'href="#id_{field}"' in html
    assert not sms and not mail.outbox and not OneTimeCode.objects.exists()
    user.refresh_from_db()
    assert user.phone == OLD_PHONE


def test_codes_to_new_contacts_are_rate_limited_like_sign_up(signed_in, user, sms):
    limit, _ = services.CODE_SEND_LIMIT
    for n in range(limit):
        assert _ask(signed_in, phone=f"098765432{n}").status_code == 302
    response = _ask(signed_in, phone="0987654329")
    assert response.status_code == 422
    assert "Bạn đã gửi quá nhiều yêu cầu" in response.content.decode()
    assert len(sms) == limit


def test_password_tries_on_this_page_are_limited(signed_in, user):
    limit, _ = services.CONTACT_CHANGE_LIMIT
    for _ in range(limit):
        _ask(signed_in, phone=NEW_PHONE, password="sai-mat-khau")
    response = _ask(signed_in, phone=NEW_PHONE)  # even the right password now
    assert (
        response.status_code == 422 and "Bạn đã gửi quá nhiều yêu cầu" in response.content.decode()
    )


def test_a_sign_up_code_pending_is_not_a_change_code(signed_in, user, sms):
    """The code that confirms the sign-up contact does not confirm a new contact."""
    request = RequestFactory().post("/")
    request.user = user
    services.send_code(request, user, OneTimeCode.Purpose.CONFIRM, "sms", OLD_PHONE)
    response = signed_in.post(CONFIRM, {"channel": "sms", "sms-code": sms.last_code()})
    assert response.status_code == 302  # nothing waits: back to the page
    user.refresh_from_db()
    assert user.phone == OLD_PHONE


def test_a_failed_notice_to_the_old_contact_does_not_undo_the_change(
    signed_in, user, sms, monkeypatch
):
    _ask(signed_in, phone=NEW_PHONE)
    code = sms.last_code()

    class Down:
        def send(self, *args, **kwargs):
            raise OSError("gateway down")

    monkeypatch.setattr("motcua.integrations.direct.sms_senders.active", lambda: Down())
    signed_in.post(CONFIRM, {"channel": "sms", "sms-code": code})
    user.refresh_from_db()
    assert user.phone == NEW_PHONE and Notification.objects.filter(user=user).exists()


def test_the_pages_speak_english(signed_in, user, sms):
    html = signed_in.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Phone number and e-mail" in html and "Send confirmation code" in html


def test_a_contact_typed_wrong_at_sign_up_is_corrected_and_confirms_the_account(client, sms):
    """Nobody can confirm a mistyped phone: the confirmation page leads here, and the code
    sent to the right number both changes and confirms the contact."""
    user = factories.citizen(phone="0900000000")
    Verification.objects.create(user=user)
    client.force_login(user)
    assert f'href="{PAGE}"' in client.get("/tai-khoan/xac-nhan/").content.decode()
    _ask(client, phone=NEW_PHONE)
    client.post(CONFIRM, {"channel": "sms", "sms-code": sms.last_code()})
    user.refresh_from_db()
    assert user.phone == NEW_PHONE and is_confirmed(user)
