"""Signed PDFs: the signer protocol, the local PKCS#12 signer, the verification stamp and the
validation of a signed PDF against the configured trust roots (docs/signing.md).

This module knows no app: it takes bytes and gives bytes. `dossiers` signs a result at
`finish` through its `result_sealing` port; the vault fills the port and keeps the
verification token. A province plugs in its real signing service (a PKCS#11 token or HSM, a
remote signing service) by pointing `RESULT_SIGNER` at a factory returning a `ResultSigner`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from motcua.core.errors import DomainError

FIELD_NAME = "KetQuaGiaiQuyet"
STAMP_WIDTH, STAMP_HEIGHT, STAMP_MARGIN = 280, 84, 28
SIGNATURE_ROOM = 16 * 1024  # bytes of CMS: the signature, the certificate and its chain


class Unsignable(ValueError):
    """The bytes are not a PDF that can take a signature."""


class SigningUnavailable(DomainError):
    """The signer (a token, a remote service) did not sign: the action changes nothing."""

    status = 503
    code = "signing_unavailable"
    message = "Dịch vụ ký số tạm thời không hoạt động. Vui lòng thử lại sau."


class ResultSigner(Protocol):
    """What signs a result: the certificate's subject for people to read, and a pyHanko
    `Signer` (pyhanko.sign.signers.Signer) that produces the CMS signature. A PKCS#11 token
    is `pyhanko.sign.pkcs11.PKCS11Signer`; a remote service is a `Signer` subclass whose
    `async_sign_raw` sends the digest over the network (docs/signing.md)."""

    subject: str

    def pyhanko_signer(self): ...


@dataclass(frozen=True)
class Pkcs12Signer:
    """The local signer: a PKCS#12 file (key, certificate and chain) and its passphrase."""

    path: Path
    passphrase: bytes

    @property
    def subject(self) -> str:
        return subject_name(self.pyhanko_signer().signing_cert)

    def pyhanko_signer(self):
        return _load_pkcs12(str(self.path), self.passphrase, self.path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _load_pkcs12(path: str, passphrase: bytes, mtime: int):
    from pyhanko.sign.signers import SimpleSigner

    loaded = SimpleSigner.load_pkcs12(path, passphrase=passphrase or None)
    if loaded is None:
        raise ValueError(f"cannot read the PKCS#12 file {Path(path).name}")
    return _kept_key_signer_class()(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )


@functools.cache
def _kept_key_signer_class():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    class KeptKeySigner(SimpleSigner):
        """pyHanko's SimpleSigner reads (and checks) the private key again for every
        signature, which costs more than the rest of the signing; this one reads it once."""

        _key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if self._key is None:
                self._key = serialization.load_der_private_key(
                    self.signing_key.dump(), password=None
                )
            if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(
                self._key, RSAPrivateKey
            ):
                return self._key.sign(
                    data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
                )
            return super().sign_raw(data, digest_algorithm)

    return KeptKeySigner


def subject_name(cert) -> str:
    """The certificate subject as people read it: its common name, and its organisation."""
    subject = cert.subject.native
    name, organisation = subject.get("common_name", ""), subject.get("organization_name", "")
    if organisation and organisation != name:
        return f"{name}, {organisation}" if name else organisation
    return name


def keys_dir() -> Path:
    return Path(settings.SIGNING_KEYS_DIR)


def local_signer(agency_code: str) -> Pkcs12Signer | None:
    """The agency's PKCS#12 file `<SIGNING_KEYS_DIR>/<agency code>.p12`, or None."""
    path = keys_dir() / f"{agency_code}.p12"
    if not path.is_file():
        return None
    return Pkcs12Signer(path, settings.SIGNING_PASSPHRASE.encode())


def signer_for(agency_code: str) -> ResultSigner | None:
    """The signer configured for an agency (RESULT_SIGNER names the factory), or None when
    the agency has no certificate: its results are then kept unsigned."""
    factory = import_string(settings.RESULT_SIGNER)
    return factory(agency_code)


@dataclass(frozen=True)
class Stamp:
    """The visible verification stamp: a QR code opening `url`, and lines of text."""

    url: str
    lines: tuple[str, ...]


def stamp_image(stamp: Stamp):
    """The stamp as an image: the QR code (segno) on the left, the text on the right."""
    import segno
    from PIL import Image, ImageDraw

    scale = 3
    width, height = STAMP_WIDTH * scale, STAMP_HEIGHT * scale
    image = Image.new("RGB", (width, height), "white")
    qr = segno.make(stamp.url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=1, border=1)
    buffer.seek(0)
    code = Image.open(buffer).convert("RGB").resize((height, height), Image.NEAREST)
    image.paste(code, (0, 0))
    draw = ImageDraw.Draw(image)
    font = _font(9 * scale)
    y = 16 * scale // 2
    for line in stamp.lines:
        draw.text((height + 4 * scale, y), line, fill="black", font=font)
        y += 12 * scale
    draw.rectangle((0, 0, width - 1, height - 1), outline="black", width=scale)
    return image


@functools.lru_cache(maxsize=4)
def _font(size: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(_font_path()), size)


@functools.lru_cache(maxsize=1)
def _font_path() -> Path:
    shipped = Path(__file__).resolve().parents[1] / "dossiers" / "static" / "dossiers" / "fonts"
    for candidate in (
        shipped / "NotoSerif-Regular.ttf",
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("no font with Vietnamese glyphs for the verification stamp")


def sign_pdf(
    pdf: bytes,
    signer: ResultSigner,
    *,
    stamp: Stamp,
    reason: str,
    location: str,
) -> bytes:
    """`pdf` with the stamp on its last page and a PAdES signature (B-B, SHA-256), added as
    an incremental update: the original bytes stay as they were, in front."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.stamp import StaticStampStyle

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        last = writer.root["/Pages"]["/Count"] - 1
        page = writer.find_page_for_modification(last)[0].get_object()
        x1, y1, x2, _ = (float(v) for v in page["/MediaBox"])
    except (PdfError, KeyError, TypeError, ValueError, IndexError) as error:
        raise Unsignable(str(error)) from error
    box = (x2 - STAMP_MARGIN - STAMP_WIDTH, y1 + STAMP_MARGIN, x2 - STAMP_MARGIN, 0)
    box = (box[0], box[1], box[2], box[1] + STAMP_HEIGHT)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    style = StaticStampStyle(background=PdfImage(stamp_image(stamp)), border_width=0)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer.pyhanko_signer(),
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=last, box=box),
    )
    out = io.BytesIO()
    try:
        # Reserving the room for the signature spares pyHanko a dry run (a second signature).
        _run(pdf_signer.async_sign_pdf(writer, output=out, bytes_reserved=SIGNATURE_ROOM))
    except (OSError, SigningError) as error:
        raise SigningUnavailable() from error
    return out.getvalue()


def _run(coroutine):
    """Run one of pyHanko's coroutines to its end, also from a thread whose event loop is
    running (an ASGI server, a browser test): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@dataclass(frozen=True)
class Verdict:
    """What a check of a signed PDF found: valid or not, why not (Vietnamese), who signed
    and when (as the signature says)."""

    valid: bool
    reason: str = ""
    signer: str = ""
    signed_at: datetime | None = None


def trust_roots() -> list:
    path = Path(settings.SIGNING_TRUST_ROOTS) if settings.SIGNING_TRUST_ROOTS else None
    if path is None:
        path = keys_dir() / "ca.pem"
    if not path.is_file():
        return []
    return list(_load_roots(str(path), path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _load_roots(path: str, mtime: int) -> tuple:
    from pyhanko.keys import load_certs_from_pemder

    return tuple(load_certs_from_pemder([path]))


def validate_pdf(pdf: bytes) -> Verdict:
    """Check the last signature of `pdf` against the trust roots: the bytes it covers are
    unchanged, nothing but allowed changes came after it, and its certificate chains to a
    trusted root."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError):
        return Verdict(False, "Tệp không phải là tệp PDF đọc được.")
    if not signatures:
        return Verdict(False, "Tệp không có chữ ký số.")
    embedded = signatures[-1]
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    try:
        status = _run(async_validate_pdf_signature(embedded, context))
    except Exception:  # noqa: BLE001 - any failure to check is a "not valid"
        return Verdict(False, "Không kiểm tra được chữ ký số của tệp.")
    who = subject_name(status.signing_cert) if status.signing_cert else ""
    when = status.signer_reported_dt
    if not status.intact or not status.valid:
        return Verdict(False, "Nội dung tệp đã bị thay đổi sau khi ký.", who, when)
    if not status.trusted:
        return Verdict(False, "Chứng thư số của người ký không được tin cậy.", who, when)
    if not status.bottom_line:
        return Verdict(False, "Tệp đã bị sửa đổi sau khi ký.", who, when)
    return Verdict(True, "", who, when)
