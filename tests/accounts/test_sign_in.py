"""Citizens sign in with their ID number and password; sign-out is a POST."""

import pytest

from . import factories

pytestmark = pytest.mark.django_db

URL = "/tai-khoan/dang-nhap/"


def test_sign_in_with_id_number(client):
    user = factories.citizen()
    response = client.post(URL, {"username": user.id_number, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/ho-so-cua-toi/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_account_with_another_username_found_by_id_number(client):
    user = factories.citizen(username="nguyenvanan")
    response = client.post(URL, {"username": user.id_number, "password": factories.PASSWORD})
    assert response.status_code == 302


def test_invalid_id_number_is_rejected_before_any_password_check(client):
    response = client.post(URL, {"username": "123", "password": "x"})
    html = response.content.decode()
    assert "12 chữ số" in html and 'class="error-summary"' in html


def test_wrong_password(client):
    user = factories.citizen()
    response = client.post(URL, {"username": user.id_number, "password": "sai-mat-khau"})
    assert "Số định danh hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/thu-tuc/?q=khai+sinh", "/thu-tuc/?q=khai+sinh"),
        ("https://evil.example/", "/ho-so-cua-toi/"),
        ("//evil.example/", "/ho-so-cua-toi/"),
    ],
)
def test_next_only_to_local_urls(client, target, expected):
    user = factories.citizen()
    response = client.post(
        URL, {"username": user.id_number, "password": factories.PASSWORD, "next": target}
    )
    assert response["Location"] == expected


def test_sign_out_is_a_post_and_header_changes(client):
    user = factories.citizen(full_name="Lê Thị Cúc")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "Lê Thị Cúc" in html and "Hồ sơ của tôi" in html and "Đăng xuất" in html
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    client.post("/tai-khoan/dang-xuat/")
    html = client.get("/").content.decode()
    assert "Lê Thị Cúc" not in html and 'href="/tai-khoan/dang-nhap/"' in html
