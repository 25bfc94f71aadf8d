"""Vietnamese by default; English through Accept-Language, the language cookie or the switcher."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

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
    # Catalog content stays Vietnamese and says so (procedure and agency names).
    if "/thu-tuc/1" in url or "/co-quan/0" in url:
        assert 'lang="vi"' in html.split("<main", 1)[1]
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


def test_english_due_time_names_the_weekday_in_english(client, catalog, monkeypatch):
    now = datetime(2026, 11, 30, 18, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    html = client.get("/thu-tuc/1.001193/", headers={"Accept-Language": "en"}).content.decode()
    assert "17:00, Tuesday 01/12/2026" in html


def test_english_404(client, catalog):
    response = client.get("/thu-tuc/9.999999/", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "No procedure with code 9.999999." in response.content.decode()


def _po_entries(text: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry of a .po file."""
    entries = []
    for block in text.split("\n\n"):
        strings: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith(("msgid", "msgstr")):
                key, _, rest = line.partition(" ")
                strings[key] = rest[1:-1]
            elif line.startswith('"') and key:
                strings[key] += line[1:-1]
        if strings.get("msgid"):
            msgstrs = [value for name, value in strings.items() if name.startswith("msgstr")]
            flags = [line for line in block.splitlines() if line.startswith("#,")]
            entries.append((strings["msgid"], msgstrs, any("fuzzy" in line for line in flags)))
    return entries


def test_english_catalog_is_complete_and_compiled():
    import gettext

    locale_dir = settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES"
    entries = _po_entries((locale_dir / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 250
    untranslated = [msgid for msgid, msgstrs, fuzzy in entries if fuzzy or not all(msgstrs)]
    assert untranslated == []
    with open(locale_dir / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    # The .mo was compiled from this .po: every entry is in it, translated the same way.
    for msgid, msgstrs, _fuzzy in entries:
        if len(msgstrs) == 1:
            assert catalog.gettext(_unescape(msgid)) == _unescape(msgstrs[0]), msgid


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n")


def test_english_catalog_has_every_string_of_the_code(tmp_path, monkeypatch):
    """makemessages over the code finds no string that the committed catalog lacks.

    Run in a copy so the committed catalog is left alone; a failure lists the new msgids:
    `cd src/motcua && python -m motcua makemessages -l en --no-location --no-obsolete`.
    """
    import shutil
    from pathlib import Path

    from django.core.management import call_command

    package = Path(settings.LOCALE_PATHS[0]).parent
    copy = tmp_path / "motcua"
    shutil.copytree(
        package,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "static", "fonts", "data", "*.mo"),
    )
    committed = _po_entries((copy / "locale/en/LC_MESSAGES/django.po").read_text("utf-8"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    found = _po_entries((copy / "locale/en/LC_MESSAGES/django.po").read_text("utf-8"))
    missing = sorted({e[0] for e in found} - {e[0] for e in committed})
    assert missing == []
