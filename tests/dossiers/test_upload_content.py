"""Uploads that would act when opened are refused (docs/uploads.md): PDFs with scripts, launch
actions or embedded files (415), ZIP-based office files that inflate past their bound (413),
and, when a ClamAV daemon is configured, what it knows as malware (415)."""

import io
import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from motcua.core import antivirus
from motcua.dossiers.models import StoredFile

from .test_api import client_for, post_file

pytestmark = pytest.mark.django_db

PAGE = (
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
)


def pdf(catalog_extra: bytes, *objects: bytes) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R"
        + catalog_extra
        + b">>endobj\n"
        + PAGE
        + b"".join(objects)
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


OPEN_ACTION_JS = pdf(b"/OpenAction 4 0 R", b"4 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n")
# The same with its names hidden behind #xx escapes, as malware does.
OPEN_ACTION_HIDDEN = OPEN_ACTION_JS.replace(b"/S/JavaScript/JS", b"/S/J#61vaScript/J#53")
LAUNCH = pdf(b"/OpenAction 4 0 R", b"4 0 obj<</S/Launch/F(cmd.exe)>>endobj\n")
EMBEDDED = pdf(
    b"/Names<</EmbeddedFiles<</Names[(a.exe) 4 0 R]>>>>",
    b"4 0 obj<</Type/Filespec/F(a.exe)>>endobj\n",
)
PLAIN = pdf(b"")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (OPEN_ACTION_JS, "JavaScript"),
        (OPEN_ACTION_HIDDEN, "JavaScript"),
        (LAUNCH, "lệnh chạy chương trình"),
        (EMBEDDED, "tệp nhúng"),
    ],
)
def test_a_pdf_that_acts_when_opened_is_refused_and_not_kept(w, data, reason):
    response = post_file(client_for(w.citizen), data=data)
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_file_type"
    assert reason in error["message"]
    assert not StoredFile.objects.exists()


def test_a_plain_pdf_is_kept(w):
    assert post_file(client_for(w.citizen), data=PLAIN).status_code == 201


def office(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_office_file_that_inflates_past_the_bound_is_413(w, settings):
    settings.MAX_INFLATED_MB = 1
    bomb = office({"word/document.xml": b"0" * (3 * 1024 * 1024)})
    assert len(bomb) < 20 * 1024  # small on the wire, three times the bound inflated
    response = post_file(client_for(w.citizen), data=bomb, name="don.docx")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert "1 MB" in response.json()["error"]["message"]
    assert not StoredFile.objects.exists()


def test_an_office_file_with_too_many_parts_is_413(w, settings):
    settings.MAX_ZIP_ENTRIES = 10
    many = office({"word/document.xml": b"<w/>", **{f"word/p{i}.xml": b"<p/>" for i in range(20)}})
    response = post_file(client_for(w.citizen), data=many, name="don.docx")
    assert response.status_code == 413


def test_an_ordinary_office_file_is_kept(w):
    docx = office({"word/document.xml": b"<w:document/>"})
    assert post_file(client_for(w.citizen), data=docx, name="don.docx").status_code == 201


# The EICAR test string: every antivirus reports it, and it harms nothing.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture
def clamd_socket(tmp_path_factory):
    """A private ClamAV daemon whose only signature is EICAR's (no signature download)."""
    if not shutil.which("clamd"):
        pytest.skip("clamd is not installed (Debian: apt-get install clamav-daemon)")
    base = tmp_path_factory.mktemp("clamd")
    (base / "db").mkdir()
    # A body signature: the EICAR bytes anywhere in any file (clamd's .ndb format).
    (base / "db" / "test.ndb").write_text(f"Eicar-Test-Signature:0:*:{EICAR.hex()}\n")
    socket = base / "clamd.sock"
    config = base / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket}\nDatabaseDirectory {base / 'db'}\nForeground yes\n"
        f"LogFile {base / 'clamd.log'}\nPidFile {base / 'clamd.pid'}\n"
        + ("User root\n" if os.geteuid() == 0 else "")
    )
    daemon = subprocess.Popen(["clamd", "-c", str(config)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(300):
            if socket.exists():
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"clamd did not start: {Path(base / 'clamd.log').read_text()}")
        yield str(socket)
    finally:
        daemon.terminate()
        daemon.wait(10)


def test_malware_is_refused_when_a_scanner_is_configured(w, settings, clamd_socket):
    settings.CLAMD_SOCKET = clamd_socket
    antivirus.get_scanner.cache_clear()
    try:
        citizen = client_for(w.citizen)
        infected = post_file(citizen, data=b"%PDF-1.4\n" + EICAR, name="a.pdf")
        assert infected.status_code == 415
        assert "mã độc" in infected.json()["error"]["message"]
        assert post_file(citizen, data=PLAIN).status_code == 201
    finally:
        antivirus.get_scanner.cache_clear()


def test_a_configured_scanner_that_does_not_answer_refuses_with_503(w, settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "nobody.sock")
    antivirus.get_scanner.cache_clear()
    try:
        response = post_file(client_for(w.citizen), data=PLAIN)
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "scanner_unavailable"
        assert not StoredFile.objects.exists()
    finally:
        antivirus.get_scanner.cache_clear()
