"""After submission, in Chromium at a phone's width: the notification centre, the receipt's
QR code entry; axe-core on every tracking page, in Vietnamese and English (answering a
supplement request, downloading the result and rating it are part of
test_citizen_journey.py)."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.dossiers import factories as f
from tests.portal.tracking_data import awaiting_supplement, with_result

from .conftest import DESKTOP, PHONE, assert_accessible, e2e, unexpected

pytestmark = e2e


@pytest.fixture
def w(transactional_db):
    return f.world()


def signed_in(pages, live_server, user, **options):
    client = Client()
    client.force_login(user)
    page = pages.new(viewport=PHONE, **options)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def assert_fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_notification_centre_and_the_header_count(pages, live_server, w):
    from playwright.sync_api import expect

    d = awaiting_supplement(w)
    page = signed_in(pages, live_server, w.citizen)
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"Thông báo 3 chưa đọc")).click()
    expect(page.get_by_text("3 thông báo chưa đọc.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Đánh dấu đã đọc")).first.click()
    expect(page.get_by_text("2 thông báo chưa đọc.")).to_be_visible()
    page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
    expect(page.get_by_text("0 thông báo chưa đọc.")).to_be_visible()
    page.get_by_role("link", name=f"Xem hồ sơ {d.code}").first.click()
    expect(page.get_by_role("heading", name="Bổ sung hồ sơ")).to_be_visible()
    assert pages.errors == []


def test_the_receipts_qr_code_leads_to_the_status_after_the_id_number(pages, live_server, w):
    from playwright.sync_api import expect

    d = awaiting_supplement(w)
    page = pages.new(viewport=PHONE)
    page.goto(f"/tra-cuu/?code={d.code}")
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(d.code)
    expect(page.locator(".tr-badges")).to_have_count(0)
    page.get_by_label("Số định danh cá nhân hoặc mã số thuế của người nộp").fill(
        w.citizen.id_number
    )
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator(".tr-badge--status")).to_contain_text("Chờ bổ sung")
    assert pages.errors == []


def _urls(w):
    waiting = awaiting_supplement(w)
    done = with_result(w)
    return {
        "my_dossiers": "/ho-so-cua-toi/",
        "my_dossiers_filtered": "/ho-so-cua-toi/?nhom=da-ket-thuc",
        "awaiting_supplement": f"/ho-so-cua-toi/{waiting.code}/",
        "with_result": f"/ho-so-cua-toi/{done.code}/",
        "submitted": f"/ho-so-cua-toi/{done.code}/da-nop/",
        "notifications": "/thong-bao/",
        "lookup": f"/tra-cuu/?code={done.code}",
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_tracking_page_passes_axe(pages, live_server, w, language):
    urls = _urls(w)
    page = signed_in(pages, live_server, w.citizen, language=language)
    for name, url in urls.items():
        response = page.goto(url)
        assert response.status == 200, name
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
        assert_fits_the_phone(page)
    # The error states: a supplement sent without its files, a bad rating, a bad lookup.
    page.goto(urls["awaiting_supplement"])
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_selector(".tr-error-summary")
    assert_accessible(page)
    page.goto(urls["with_result"])
    page.locator("form:has(fieldset) button[type=submit]").click()
    page.wait_for_selector("#loi-diem")
    assert_accessible(page)
    page.goto(urls["lookup"])
    page.locator("form.tr-lookup button[type=submit]").click()
    page.wait_for_selector(".field__error")
    assert_accessible(page)
    assert unexpected(pages.errors) == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_empty_pages_and_a_found_lookup_pass_axe(pages, live_server, w, language):
    d = with_result(w, applicant=w.other_citizen)
    page = signed_in(pages, live_server, w.citizen, language=language)
    for url in ("/ho-so-cua-toi/", "/thong-bao/"):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/tra-cuu/?code={d.code}")
    page.locator("input[name=id_number]").fill(w.other_citizen.id_number)
    page.locator("form.tr-lookup button[type=submit]").click()
    page.wait_for_selector("#ket-qua")
    assert_accessible(page)
    assert pages.errors == []


@pytest.mark.skipif(os.environ.get("MOTCUA_SCREENSHOTS") != "1", reason="set MOTCUA_SCREENSHOTS=1")
def test_screenshots(pages, live_server, w):
    """docs/screenshots/ of the citizen's pages after submission, at phone and desktop width."""
    out = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    urls = _urls(w)
    shots = {
        "my-dossiers": urls["my_dossiers"],
        "dossier-supplement": urls["awaiting_supplement"],
        "dossier-result": urls["with_result"],
        "dossier-submitted": urls["submitted"],
        "notifications": urls["notifications"],
        "lookup": urls["lookup"],
    }
    phone = signed_in(pages, live_server, w.citizen)
    desktop = signed_in(pages, live_server, w.citizen)
    desktop.set_viewport_size(DESKTOP)
    for name, url in shots.items():
        for page, suffix in ((phone, "-phone"), (desktop, "")):
            page.goto(url)
            page.screenshot(path=out / f"{name}{suffix}.png", full_page=True)
