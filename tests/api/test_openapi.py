from io import StringIO
from pathlib import Path

from django.core.management import call_command

from motcua.api.management.commands.export_openapi import openapi_document

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_openapi_document_matches_the_code():
    assert COMMITTED.exists(), "docs/openapi.json is missing"
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document(), (
        "The API changed: run `python -m motcua export_openapi --output docs/openapi.json` "
        "and commit docs/openapi.json."
    )


def test_command_prints_the_document():
    out = StringIO()
    call_command("export_openapi", stdout=out)
    assert out.getvalue() == openapi_document()
    assert '"/api/v1/procedures/{code}"' in out.getvalue()


def test_command_writes_the_output_file(tmp_path):
    target = tmp_path / "openapi.json"
    call_command("export_openapi", output=str(target), stderr=StringIO())
    assert target.read_text(encoding="utf-8") == openapi_document()
