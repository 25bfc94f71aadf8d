import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.files import DOCX, JPEG, PDF, PNG, XLSX, sniff, store_file
from motcua.dossiers.models import StoredFile

from .factories import PDF_BYTES, user

pytestmark = pytest.mark.django_db


def office_zip(*names) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF_BYTES, PDF),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", PNG),
        (office_zip("[Content_Types].xml", "word/document.xml"), DOCX),
        (office_zip("[Content_Types].xml", "xl/workbook.xml"), XLSX),
        (office_zip("readme.txt"), None),  # a plain zip is not an office document
        (b"PK\x03\x04broken", None),
        (b"MZ\x90\x00 an executable", None),
        (b"<html>%PDF-</html>", None),  # the marker must be at the start
    ],
)
def test_content_is_recognised_by_its_bytes(data, expected):
    assert sniff(io.BytesIO(data)) == expected


def test_stored_file_is_hashed_and_private(db):
    owner = user()
    stored = store_file(io.BytesIO(PDF_BYTES), "../../etc/passwd.pdf", owner)
    assert stored.size == len(PDF_BYTES)
    assert stored.content_type == PDF
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert "/" not in stored.name.replace("..", "")  # no path from the client's name
    assert stored.file.name.startswith("uploads/")
    assert default_storage.exists(stored.file.name)
    assert stored.file.read() == PDF_BYTES


def test_unattached_files_older_than_a_day_are_deleted(db, django_capture_on_commit_callbacks):
    owner = user()
    day_ago = timezone.now() - timedelta(hours=25)
    old = store_file(io.BytesIO(PDF_BYTES), "a.pdf", owner, now=day_ago)
    recent = store_file(io.BytesIO(PDF_BYTES), "b.pdf", owner)
    kept = store_file(io.BytesIO(PDF_BYTES), "c.pdf", owner, now=day_ago)
    StoredFile.objects.filter(pk=kept.pk).update(attached=True)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_unattached_files", stdout=out)
    assert set(StoredFile.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(kept.file.name)
    assert "Đã xóa 1 tệp" in out.getvalue()
