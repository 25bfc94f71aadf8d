"""Files from private storage are handed over uncached, downloaded unless shown inline."""

from types import SimpleNamespace

from django.core.files.base import ContentFile

from motcua.core.downloads import private_file_response


def stored(name="giay-to.pdf"):
    return SimpleNamespace(
        file=ContentFile(b"%PDF-1.7", name=name), name=name, content_type="application/pdf"
    )


def test_a_private_file_is_an_uncached_attachment():
    response = private_file_response(stored())
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="giay-to.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.7"


def test_inline_when_the_page_shows_it():
    response = private_file_response(stored(), inline=True)
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"
