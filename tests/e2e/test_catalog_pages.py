"""The public catalog pages in a real browser: axe-core, the search flow, phones, no-JS."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.portal.catalog_data import COMMUNE, build_catalog

from .conftest import PHONE, e2e

pytestmark = e2e

PAGES = {
    "home": "/",
    "list": "/thu-tuc/",
    "search": "/thu-tuc/?q=khai+sinh",
    "procedure": "/thu-tuc/1.001193/",
    "agencies": "/co-quan/",
    "agency": f"/co-quan/{COMMUNE}/",
}


@pytest.fixture
def catalog(transactional_db):
    build_catalog()


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violations(pages, catalog, name, language):
    page = pages.new(language=language)
    response = page.goto(PAGES[name])
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    assert pages.errors == []


@pytest.mark.parametrize("name", ["list", "procedure", "agency"])
def test_empty_and_error_pages_have_no_axe_violations(pages, transactional_db, name):
    page = pages.new()
    page.goto(PAGES[name])
    assert_accessible(page)


def test_search_flow_typed_by_a_user(pages, catalog):
    page = pages.new()
    page.goto("/")
    box = page.get_by_label("Tên hoặc mã thủ tục")
    box.press_sequentially("dang ky khai sinh")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+khai\+sinh"))
    titles = page.locator(".card__title")
    assert titles.first.inner_text() == "Đăng ký khai sinh"
    assert "Tìm thấy 3 thủ tục" in page.locator("#ket-qua h2").inner_text()
    titles.first.get_by_role("link").click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    assert page.get_by_role("heading", level=1).inner_text() == "Đăng ký khai sinh"
    assert page.get_by_alt_text("Mã QR mở trang nộp hồ sơ thủ tục 1.001193").is_visible()
    assert pages.errors == []


def test_filters_swap_results_in_place_with_htmx(pages, catalog):
    page = pages.new()
    page.goto("/thu-tuc/")
    page.evaluate("window.samePage = true")
    page.get_by_label("Mức độ trực tuyến").select_option("full")
    with page.expect_response(re.compile(r"online=full")):
        page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"online=full"))
    assert page.evaluate("window.samePage") is True  # no full reload
    expect_titles = ["Đăng ký kết hôn", "Đăng ký khai sinh"]
    page.wait_for_function("document.querySelectorAll('.card').length === 2")
    assert page.locator(".card__title").all_inner_texts() == expect_titles
    assert_accessible(page)
    assert pages.errors == []


def test_search_works_without_javascript(pages, catalog):
    page = pages.new(javascript=False)
    page.goto("/")
    page.get_by_label("Tên hoặc mã thủ tục").fill("KHAI SINH")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"q=KHAI\+SINH"))
    assert page.locator(".card__title").first.inner_text() == "Đăng ký khai sinh"


def test_language_switcher(pages, catalog):
    page = pages.new()
    page.goto("/thu-tuc/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Administrative procedures"
    assert page.locator("html").get_attribute("lang") == "en"


def test_skip_link_is_the_first_stop_and_reaches_main(pages, catalog):
    page = pages.new()
    page.goto("/thu-tuc/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#noi-dung"


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_sized_pages_fit_and_pass_axe(pages, catalog, name):
    page = pages.new(viewport=PHONE)
    page.goto(PAGES[name])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    assert_accessible(page)


def test_pagination_swaps_results_and_keeps_filters(pages, catalog):
    from motcua.catalog import services
    from tests.catalog import factories

    for i in range(22):
        services.import_procedure(
            factories.procedure_data(
                code=f"2.{900000 + i:06d}", name=f"Trích lục hộ tịch số {i:02d}", agencies=[COMMUNE]
            )
        )
    page = pages.new()
    page.goto("/thu-tuc/?sector=ho-tich")
    page.evaluate("window.samePage = true")
    page.get_by_role("navigation", name="Phân trang").get_by_role("link", name="Trang sau").click()
    page.wait_for_url(re.compile(r"sector=ho-tich&page=2"))
    page.wait_for_function("document.querySelectorAll('.card').length === 6")
    assert page.evaluate("window.samePage") is True
    # A procedure link on the swapped page is still an ordinary link.
    page.locator(".card__title a").first.click()
    page.wait_for_url(re.compile(r"/thu-tuc/\d\.\d{6}/$"))
    assert page.locator("h1").count() == 1
    assert pages.errors == []


def test_demo_catalog_pages_have_no_axe_violations(pages, transactional_db):
    """The demo catalog has the long names and many parts of real procedures."""
    from motcua.catalog import demo
    from motcua.catalog.models import Agency

    demo.seed()
    commune = Agency.objects.filter(level="commune", procedures__code="1.001193").first()
    urls = [*PAGES.values(), f"/co-quan/{commune.code}/", "/thu-tuc/1.001193/nop-ho-so/"]
    urls.remove(PAGES["agency"])
    for language in ("vi", "en"):
        page = pages.new(language=language)
        for url in urls:
            assert page.goto(url).status == 200, url
            assert_accessible(page)
    assert pages.errors == []


def test_printed_procedure_page_puts_a_large_qr_code_first(pages, catalog):
    page = pages.new()
    page.goto(PAGES["procedure"])
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".submit-box .button").is_visible()
    qr = page.get_by_alt_text("Mã QR mở trang nộp hồ sơ thủ tục 1.001193").bounding_box()
    first_section = page.locator("#thong-tin-chung").bounding_box()
    assert qr["width"] >= 200  # 55 mm at 96 dpi is about 208 px
    assert qr["y"] < first_section["y"]
