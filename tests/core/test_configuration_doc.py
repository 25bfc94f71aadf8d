"""docs/configuration.md lists every variable declared through motcua.core.env."""

import re
from pathlib import Path

from motcua.core.env import VARIABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \|", re.MULTILINE)


def documented() -> tuple[set[str], set[str]]:
    """Names in the application tables, and in the scripts' table."""
    text = DOC.read_text(encoding="utf-8")
    application, _, scripts = text.partition("## Used by the scripts only")
    return set(ROW.findall(application)), set(ROW.findall(scripts))


def test_every_declared_variable_is_documented():
    application, _ = documented()
    missing = sorted(set(VARIABLES) - application)
    assert not missing, f"add a row to docs/configuration.md for: {', '.join(missing)}"


def test_no_documented_application_variable_is_stale():
    application, scripts = documented()
    assert not sorted(application - set(VARIABLES)), "documented but no longer declared"
    assert not application & scripts
    assert VARIABLES  # the settings declared them when Django started
