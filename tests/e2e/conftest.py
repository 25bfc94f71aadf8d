"""Browser fixtures: Playwright's sync API driving Debian's Chromium against live_server.

Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
thread with a running loop unless told it is safe (it is: the loop is idle while we query).
"""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# tests/conftest.py skips `e2e` tests unless MOTCUA_E2E=1 (make test sets it with Chromium).
e2e = [pytest.mark.e2e]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Pages:
    """Opens pages in fresh browser contexts and records what the console complains about
    (a blocked inline style or script shows up there as a CSP error)."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.errors: list[str] = []

    def new(self, *, language="vi", viewport=DESKTOP, javascript=True):
        context = self.browser.new_context(
            base_url=self.base_url,
            locale=language,
            viewport=viewport,
            java_script_enabled=javascript,
            extra_http_headers={"Accept-Language": language},
        )
        self.contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"{message.text} {message.location.get('url', '')}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser, live_server, transactional_db):
    opened = Pages(browser, live_server.url)
    yield opened
    opened.close()


def assert_accessible(page):
    """axe-core finds nothing on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, (page.url, results.generate_report())


def unexpected(errors):
    """Console errors other than the 422 answer of a form sent back with its errors."""
    return [e for e in errors if "status of 422" not in e]


def fill_sign_in(page, id_number, password):
    """Sign in on the sign-in form the page shows."""
    page.locator("input[name=username]").fill(id_number)
    page.locator("input[name=password]").fill(password)
    page.locator("form.account-form button[type=submit]").click()


# ------------------------------------------------------------------ steps of the e-form pages


def continue_(page):
    page.locator(".actions button[value=continue]").click()


def choose_commune(page, javascript, province, commune):
    """The birth registration's place: a province, then one of its communes (swapped in by
    htmx, or listed by a button without JavaScript)."""
    page.locator("#id_tk__registration_place__province").select_option(province)
    if javascript:
        page.wait_for_selector(
            f"#id_tk__registration_place__commune option[value='{commune}']", state="attached"
        )
    else:
        page.get_by_role("button", name="Hiện xã, phường của tỉnh đã chọn").click()
    page.locator("#id_tk__registration_place__commune").select_option(commune)
