"""Screenshots of the catalog pages for docs/screenshots/ (MOTCUA_SCREENSHOTS=1 writes them;
other runs write nothing)."""

import os
from pathlib import Path

import pytest

from motcua.catalog import demo
from motcua.catalog.models import Agency

from .conftest import PHONE, e2e

pytestmark = [
    *e2e,
    pytest.mark.skipif(
        os.environ.get("MOTCUA_SCREENSHOTS") != "1", reason="set MOTCUA_SCREENSHOTS=1"
    ),
]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def seed():
    """The demo catalog: it looks real."""
    demo.seed()
    commune = Agency.objects.filter(level="commune", procedures__code="1.001193").first()
    return "1.001193", commune.code


def test_screenshots(pages, transactional_db):
    procedure, agency = seed()
    shots = {
        "home": "/",
        "procedure-list": "/thu-tuc/",
        "search-results": "/thu-tuc/?q=khai+sinh",
        "procedure": f"/thu-tuc/{procedure}/",
        "procedure-submit": f"/thu-tuc/{procedure}/nop-ho-so/",
        "agency-list": "/co-quan/",
        "agency": f"/co-quan/{agency}/",
        "not-found": "/thu-tuc/9.999999/",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    desktop = pages.new()
    for name, url in shots.items():
        desktop.goto(url)
        desktop.screenshot(path=OUT / f"{name}.png", full_page=True)
    english = pages.new(language="en")
    english.goto(f"/thu-tuc/{procedure}/")
    english.screenshot(path=OUT / "procedure-en.png", full_page=True)
    phone = pages.new(viewport=PHONE)
    for name in ("home", "search-results", "procedure"):
        phone.goto(shots[name])
        phone.screenshot(path=OUT / f"{name}-phone.png", full_page=True)
    desktop.goto(shots["procedure"])
    desktop.emulate_media(media="print")
    desktop.screenshot(path=OUT / "procedure-print.png", full_page=True)
