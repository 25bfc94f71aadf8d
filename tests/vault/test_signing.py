"""A result is stamped with its verification QR code and signed (PAdES) at `finish`."""

import io
import re
import shutil
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua.core import signing
from motcua.core.certificates import make_demo_certificates
from motcua.vault.models import SignedResult
from motcua.vault.results import stamp_for

from .helpers import file_bytes, finished

pytestmark = pytest.mark.django_db


def test_finish_signs_the_result_as_an_incremental_update(w, result_pdf, keys_dir):
    d = finished(w, result_pdf)
    sealed = SignedResult.objects.get(dossier=d)
    assert d.result_file_id == sealed.signed_file_id != sealed.original_file_id
    signed = file_bytes(sealed.signed_file)
    assert signed.startswith(result_pdf)  # the original bytes are kept, in front
    assert sealed.signed_file.sha256 and sealed.signed_file.content_type == "application/pdf"
    assert sealed.signer == "UBND phường Phúc Yên"
    assert d.events.get(action="finish").payload["signed"] is True

    reader = PdfFileReader(io.BytesIO(signed))
    [embedded] = reader.embedded_signatures
    roots = signing.trust_roots()
    assert roots
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=roots))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert embedded.sig_object["/Reason"] == "Kết quả giải quyết thủ tục hành chính"
    assert embedded.self_reported_timestamp is not None  # the signing time


def test_the_stamp_carries_the_verification_url(w, result_pdf):
    d = finished(w, result_pdf)
    sealed = SignedResult.objects.get(dossier=d)
    stamp = stamp_for(d, sealed.token)
    assert stamp.url == f"https://dichvucong.example.gov.vn/verify/{sealed.token}"
    assert f"Mã hồ sơ: {d.code}" in stamp.lines


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils' pdfsig is not installed")
def test_pdfsig_finds_the_signature_valid_and_names_the_signer(w, result_pdf, tmp_path):
    d = finished(w, result_pdf)
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(file_bytes(d.result_file))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid." in out
    assert "UBND phường Phúc Yên" in out
    assert "Total document signed" in out
    bad = bytearray(path.read_bytes())
    bad[len(result_pdf) // 2] ^= 0x01
    path.write_bytes(bytes(bad))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid." not in out


def test_one_byte_changed_is_not_valid(w, result_pdf):
    signed = file_bytes(finished(w, result_pdf).result_file)
    assert signing.validate_pdf(signed).valid
    bad = bytearray(signed)
    bad[len(result_pdf) // 2] ^= 0x01
    verdict = signing.validate_pdf(bytes(bad))
    assert not verdict.valid
    assert verdict.reason == "Nội dung tệp đã bị thay đổi sau khi ký."


def test_a_certificate_of_another_ca_is_not_trusted(w, result_pdf, tmp_path, settings):
    signed = file_bytes(finished(w, result_pdf).result_file)
    make_demo_certificates(tmp_path, [], "")
    settings.SIGNING_TRUST_ROOTS = str(tmp_path / "ca.pem")
    verdict = signing.validate_pdf(signed)
    assert not verdict.valid and "không được tin cậy" in verdict.reason


def test_without_a_certificate_the_result_stays_unsigned(w, result_pdf, settings, tmp_path):
    settings.SIGNING_KEYS_DIR = str(tmp_path)
    d = finished(w, result_pdf)
    assert not SignedResult.objects.exists()
    assert file_bytes(d.result_file) == result_pdf
    assert "signed" not in d.events.get(action="finish").payload


def test_a_broken_pdf_cannot_be_signed(w):
    from motcua.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        finished(w, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert "result_file_id" in caught.value.fields
    assert re.search("ký số", caught.value.message)


def test_make_demo_certificates_command(tmp_path, settings, db):
    from django.core.management import call_command

    from tests.dossiers import factories

    factories.world()
    settings.SIGNING_KEYS_DIR = str(tmp_path)
    call_command("make_demo_certificates")
    assert (tmp_path / "ca.pem").is_file()
    assert (tmp_path / f"{factories.HOME}.p12").is_file()
    assert signing.local_signer(factories.HOME).subject == "UBND phường Phúc Yên"
