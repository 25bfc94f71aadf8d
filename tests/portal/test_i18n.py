"""Vietnamese by default; English through Accept-Language, the language cookie or the switcher."""

import pytest
from django.conf import settings

from .catalog_data import COMMUNE

pytestmark = pytest.mark.django_db

ENGLISH = {
    "/": ["Find an administrative procedure", "Browse by sector", "Civil status"],
    "/thu-tuc/": ["Administrative procedures", "6 procedures", "Search procedures", "Fully online"],
    "/thu-tuc/?q=khai+sinh": ["3 procedures found for “khai sinh”"],
    "/thu-tuc/1.001193/": [
        "General information",
        "Documents in the dossier",
        "Legal basis",
        "VND 8,000",
        "1 working days",  # the unit is a model choice, translated too
        "If you submit now at UBND phường Phúc Yên",
    ],
    "/thu-tuc/1.001193/nop-ho-so/": ["Sign in to submit online."],
    "/co-quan/": ["Agencies receiving and handling procedures", "3 agencies"],
    f"/co-quan/{COMMUNE}/": ["Contact details", "Office hours", "Procedures handled (5)"],
}


@pytest.mark.parametrize("url", list(ENGLISH))
def test_accept_language_english(client, catalog, url):
    html = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="en">' in html
    assert "Public Service Portal" in html
    for text in ENGLISH[url]:
        assert text in html, text
    # The switcher offers Vietnamese, labelled in Vietnamese.
    assert 'value="vi" lang="vi"' in html and "Tiếng Việt" in html


def test_language_cookie_english(client, catalog):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<h1>Administrative procedures</h1>" in client.get("/thu-tuc/").content.decode()


def test_vietnamese_is_the_default(client, catalog):
    html = client.get("/thu-tuc/", headers={"Accept-Language": "fr"}).content.decode()
    assert '<html lang="vi">' in html
    assert "<h1>Thủ tục hành chính</h1>" in html
    assert 'value="en" lang="en"' in html


def test_switcher_sets_the_language_and_returns_to_the_page(client, catalog):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/?q=khai+sinh"})
    assert response.status_code == 302
    assert response["Location"] == "/thu-tuc/?q=khai+sinh"
    html = client.get(response["Location"]).content.decode()
    assert "3 procedures found" in html


def test_english_404(client, catalog):
    response = client.get("/thu-tuc/9.999999/", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "No procedure with code 9.999999." in response.content.decode()
