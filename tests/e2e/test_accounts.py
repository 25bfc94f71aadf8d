"""Accounts in a real browser at phone size: the lockout message; axe-core on every accounts
page in both languages (signing up, confirming, signing out and in again are part of
test_citizen_journey.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts import factories

from .conftest import PHONE, assert_accessible, e2e, fill_sign_in

pytestmark = e2e


def sign_in(page, user, password=factories.PASSWORD):
    page.goto("/tai-khoan/dang-nhap/")
    fill_sign_in(page, user.id_number, password)


PUBLIC = ["/tai-khoan/dang-nhap/", "/tai-khoan/dang-ky/", "/tai-khoan/quen-mat-khau/"]
SIGNED_IN = ["/tai-khoan/to-chuc/", "/tai-khoan/xac-nhan/", "/tai-khoan/lien-he/"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_accounts_pages_have_no_axe_violations(pages, transactional_db, language):
    page = pages.new(language=language, viewport=PHONE)
    for url in PUBLIC:
        assert page.goto(url).status == 200
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
    # Errors: the summary on top and the message by each field.
    page.goto("/tai-khoan/dang-ky/")
    page.locator("form.account-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto("/tai-khoan/quen-mat-khau/")
    page.locator("#id_username").fill(factories.id_number())
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/quen-mat-khau/dat-lai/"))
    assert_accessible(page)
    # Signed in: an unconfirmed account (confirmation page) and the organisations page.
    user = factories.citizen(email="an@example.vn")
    from motcua.accounts.models import Verification

    Verification.objects.create(user=user)
    sign_in(page, user)
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/"))
    for url in SIGNED_IN:
        assert page.goto(url).status == 200
        assert_accessible(page)
    page.goto("/tai-khoan/to-chuc/")
    page.locator("#id_tax_code").fill("0100000001")
    page.locator("form.account-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    # Changing the e-mail: a refusal, then the page waiting for the new address's code.
    page.goto("/tai-khoan/lien-he/")
    page.locator("form.account-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_email").fill("an.moi@example.vn")
    page.locator("#id_password").fill(factories.PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tai-khoan/lien-he/xac-nhan/$"))
    assert_accessible(page)
    # The console reports the 4xx answers (a form with errors is a 422); nothing else.
    assert [e for e in pages.errors if "Failed to load resource" not in e] == []


def test_lockout_message(pages, transactional_db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = factories.citizen()
    page = pages.new(viewport=PHONE)
    for _ in range(3):
        sign_in(page, user, password="sai-mat-khau")
    assert "quá nhiều lần" in page.locator(".error-summary").inner_text()
    assert "15 phút" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
