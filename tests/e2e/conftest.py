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
