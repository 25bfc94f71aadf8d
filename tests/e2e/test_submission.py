"""The online submission pages in a real browser on a phone: axe-core and the page weight on
every one, in both languages (the whole way through them, as a new citizen goes, is
test_citizen_journey.py)."""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from motcua.integrations.models import LocalResident
from tests.portal import submission_data as data

from .conftest import DESKTOP, continue_, e2e, fill_sign_in

pytestmark = e2e

PHONE = {"width": 360, "height": 740}
MAX_PAGE_BYTES = 100 * 1024


@pytest.fixture
def world(transactional_db):
    data.build(birth_only=True)
    # The citizen as the population registry (local adapter) knows her.
    LocalResident.objects.create(
        id_number=data.CITIZEN_ID,
        full_name="Nguyễn Thị Hoa",
        date_of_birth=date(1995, 4, 2),
        sex="Nữ",
    )
    return data.citizen()


def sign_in(page):
    fill_sign_in(page, data.CITIZEN_ID, data.PASSWORD)


WEIGHT = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  let total = nav.decodedBodySize;
  for (const entry of performance.getEntriesByType("resource")) {
    if (["link", "script", "css"].includes(entry.initiatorType)) total += entry.decodedBodySize;
  }
  return total;
}"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_submission_pages_are_accessible_and_light(pages, world, language):
    page = pages.new(viewport=PHONE, language=language)
    page.goto("/nop-ho-so/")
    sign_in(page)
    page.wait_for_url("**/nop-ho-so/")
    page.goto("/thu-tuc/1.001193/nop-ho-so/")
    page.locator("form.panel button[type=submit]").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/\d+/$"))
    draft = page.url.rstrip("/").split("/")[-1]
    urls = [
        "/thu-tuc/1.001193/nop-ho-so/",
        f"/nop-ho-so/{draft}/",
        f"/nop-ho-so/{draft}/trang/0/",
        f"/nop-ho-so/{draft}/trang/1/",
        f"/nop-ho-so/{draft}/trang/2/",
        f"/nop-ho-so/{draft}/giay-to/",
        f"/nop-ho-so/{draft}/kiem-tra/",
        "/nop-ho-so/",
    ]
    weights = {}
    for url in urls:
        assert page.goto(url).status == 200
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        results = Axe().run(page)
        assert results.violations_count == 0, (url, results.generate_report())
        # HTML, CSS and JS of the page, uncompressed (what travels is less).
        weights[url] = page.evaluate(WEIGHT)
    # A page with errors: the summary and the fields in error.
    page.goto(f"/nop-ho-so/{draft}/trang/0/")
    page.locator("#id_tk__requester__full_name").fill("")
    continue_(page)
    expect(page.locator(".error-summary")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    heavy = {url: size for url, size in weights.items() if size > MAX_PAGE_BYTES}
    assert heavy == {}
    print(f"\nsubmission pages ({language}), bytes of HTML+CSS+JS:", weights)


@pytest.mark.skipif(os.environ.get("MOTCUA_SCREENSHOTS") != "1", reason="set MOTCUA_SCREENSHOTS=1")
def test_screenshots(pages, world):
    """docs/screenshots/ of signing in and up and of the submission pages, phone and desktop."""
    out = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    visitor = pages.new(viewport=PHONE)
    for name, url in {"sign-in": "/tai-khoan/dang-nhap/", "sign-up": "/tai-khoan/dang-ky/"}.items():
        visitor.goto(url)
        visitor.screenshot(path=out / f"{name}-phone.png", full_page=True)
        visitor.set_viewport_size(DESKTOP)
        visitor.screenshot(path=out / f"{name}.png", full_page=True)
        visitor.set_viewport_size(PHONE)
    page = pages.new(viewport=PHONE)
    page.goto("/nop-ho-so/")
    sign_in(page)
    page.wait_for_url("**/nop-ho-so/")
    page.goto("/thu-tuc/1.001193/nop-ho-so/")
    page.locator("form.panel button[type=submit]").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/\d+/$"))
    draft = page.url.rstrip("/").split("/")[-1]
    shots = {
        "submit-tasks": f"/nop-ho-so/{draft}/",
        "submit-form": f"/nop-ho-so/{draft}/trang/0/",
        "submit-attachments": f"/nop-ho-so/{draft}/giay-to/",
        "submit-check": f"/nop-ho-so/{draft}/kiem-tra/",
    }
    for name, url in shots.items():
        for viewport, suffix in ((PHONE, "-phone"), (DESKTOP, "")):
            page.set_viewport_size(viewport)
            page.goto(url)
            page.screenshot(path=out / f"{name}{suffix}.png", full_page=True)
    # The error summary and the messages by the fields.
    page.set_viewport_size(PHONE)
    page.goto(shots["submit-form"])
    page.locator("#id_tk__requester__full_name").fill("")
    continue_(page)
    page.screenshot(path=out / "submit-form-errors-phone.png", full_page=True)
