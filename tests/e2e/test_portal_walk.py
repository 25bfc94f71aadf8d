"""Every portal page a citizen can reach, found by following the links: axe-core finds no
violations, the page is in the asked language, and HTML+CSS+JS stay under 100 KB.

The walk starts where a citizen starts (the home page, signing in, looking a dossier up) and
follows same-site links breadth first, so a page added later is walked without listing it
here. Pages of one shape (/thu-tuc/<code>/, /ho-so-cua-toi/<code>/ …) are visited twice at
most to keep the walk short.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.dossiers import factories as f
from tests.portal.tracking_data import awaiting_supplement, received, with_result

from .conftest import PHONE, e2e

pytestmark = e2e

START = ["/", "/tra-cuu/", "/ho-so-cua-toi/", "/thong-bao/"]
ANONYMOUS_START = ["/", "/tai-khoan/dang-nhap/", "/tai-khoan/dang-ky/", "/tra-cuu/"]
# Not portal pages (the back office and the API have their own tests), files, or actions.
SKIP = re.compile(r"^/(api|admin|mot-cua|static|i18n)/|\.(pdf|png|svg|csv|xlsx|jpg)$|dang-xuat")
MAX_PAGES = 40
PER_SHAPE = 2
PAGE_BUDGET = 100 * 1024  # bytes of HTML, CSS and JavaScript transferred
WEIGHED = {"document", "stylesheet", "script"}


def shape(path: str) -> str:
    """/ho-so-cua-toi/H38-261123-0001/ and …-0002/ are one shape; so are procedure codes."""
    return re.sub(r"[0-9][0-9A-Za-z.\-]*", "#", path)


def walk(page, starts) -> dict[str, dict]:
    """Visit pages from `starts`; what each weighed and what axe-core found."""
    weights: dict[str, int] = {}

    def weigh(response):
        if response.request.resource_type in WEIGHED:
            try:
                size = len(response.body())
            except Exception:  # a redirect has no body to weigh
                size = 0
            weights[page.url] = weights.get(page.url, 0) + size

    page.on("response", weigh)
    seen_shapes: dict[str, int] = {}
    queue = deque(starts)
    visited: set[str] = set()
    found = {}
    while queue and len(found) < MAX_PAGES:
        path = queue.popleft()
        if path in visited:
            continue
        visited.add(path)
        key = shape(urlsplit(path).path)
        if seen_shapes.get(key, 0) >= PER_SHAPE:
            continue
        seen_shapes[key] = seen_shapes.get(key, 0) + 1
        try:
            response = page.goto(path)
        except Exception as error:  # a file download, not a page
            if "Download is starting" in str(error):
                continue
            raise
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        final = urlsplit(page.url)
        if final.path != urlsplit(path).path and shape(final.path) in seen_shapes:
            continue  # a redirect to a page already walked (e.g. sign-in)
        results = Axe().run(page)
        found[path] = {
            "status": response.status if response else None,
            "lang": page.locator("html").get_attribute("lang"),
            "violations": results.violations_count,
            "report": results.generate_report() if results.violations_count else "",
            "bytes": weights.get(page.url, 0),
        }
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts.netloc != final.netloc or SKIP.search(parts.path):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in visited:
                queue.append(link)
    return found


def assert_walked_well(found, language, must_include):
    problems = []
    for path, seen in found.items():
        if seen["status"] != 200:
            problems.append(f"{path}: HTTP {seen['status']}")
        if seen["lang"] != language:
            problems.append(f"{path}: lang={seen['lang']}")
        if seen["violations"]:
            problems.append(f"{path}: axe-core\n{seen['report']}")
        if seen["bytes"] > PAGE_BUDGET:
            problems.append(f"{path}: {seen['bytes']} bytes of HTML+CSS+JS")
    assert problems == []
    walked = {shape(urlsplit(path).path) for path in found}
    for path in must_include:
        assert shape(path) in walked, f"{path} not reached; walked {sorted(walked)}"


@pytest.fixture
def w(transactional_db):
    w = f.world()
    received(w)
    awaiting_supplement(w)
    with_result(w)
    return w


def signed_in_page(pages, live_server, user, language):
    client = Client()
    client.force_login(user)
    page = pages.new(viewport=PHONE, language=language)
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


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_a_signed_in_citizen_reaches(pages, live_server, w, language):
    page = signed_in_page(pages, live_server, w.citizen, language)
    found = walk(page, START)
    code = w.procedure.code
    must = ["/ho-so-cua-toi/", "/thong-bao/", "/tra-cuu/", "/thu-tuc/", f"/thu-tuc/{code}/"]
    assert_walked_well(found, language, must)
    assert len(found) >= 8
    assert pages.errors == [] or all("status of 4" in e for e in pages.errors)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_a_visitor_reaches(pages, live_server, w, language):
    page = pages.new(viewport=PHONE, language=language)
    found = walk(page, ANONYMOUS_START)
    must = ["/tai-khoan/dang-nhap/", "/tai-khoan/dang-ky/", "/co-quan/"]
    assert_walked_well(found, language, must)
