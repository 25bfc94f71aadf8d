"""Signed results: sealed at `finish` (the dossiers' `result_sealing` port), checked on the
public verification page, and put into the applicant's vault when returned."""

import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from motcua.core import signing
from motcua.core.errors import NotFound, ValidationFailed
from motcua.dossiers.files import (
    PDF,
    UnsupportedFileType,
    max_upload_bytes,
    sniff,
    store_file,
    too_large,
)
from motcua.dossiers.models import Dossier, Event, StoredFile

from .models import Kind, SignedResult, Source, VaultDocument

REASON = "Kết quả giải quyết thủ tục hành chính"
# Returns that put the result into the applicant's vault (an account is needed for any).
LANDING_DELIVERIES = ("electronic", "counter", "post")


def verify_url(token: str) -> str:
    path = reverse("portal:verify", args=[token])
    base = settings.PUBLIC_BASE_URL or f"http://{settings.HOST}:{settings.PORT}"
    return urljoin(base, path)


def _signing_agency(dossier: Dossier):
    return dossier.current_agency or dossier.agency


def stamp_for(dossier: Dossier, token: str) -> signing.Stamp:
    agency = _signing_agency(dossier)
    name = agency.name if len(agency.name) <= 42 else agency.name[:41] + "…"
    return signing.Stamp(
        url=verify_url(token),
        lines=(
            "KẾT QUẢ ĐIỆN TỬ ĐÃ KÝ SỐ",
            f"Mã hồ sơ: {dossier.code}",
            name,
            "Quét mã QR để kiểm tra",
        ),
    )


def seal_result(dossier: Dossier, stored: StoredFile, actor, now: datetime) -> StoredFile:
    """The result `stored` stamped with its verification QR code and signed with the
    agency's certificate, kept as a new file; `stored` itself when it is no PDF or the agency
    has no certificate (the result then stays unsigned, and indicator 5.1 does not count it)."""
    if stored.content_type != PDF:
        return stored
    agency = _signing_agency(dossier)
    signer = signing.signer_for(agency.code)
    if signer is None:
        return stored
    token = secrets.token_urlsafe(24)
    with stored.file.open("rb") as handle:
        original = handle.read()
    try:
        signed = signing.sign_pdf(
            original, signer, stamp=stamp_for(dossier, token), reason=REASON, location=agency.name
        )
    except signing.Unsignable:
        raise ValidationFailed(
            "Tệp kết quả không phải tệp PDF hoàn chỉnh nên không ký số được.",
            fields={"result_file_id": ["Cần tệp PDF hoàn chỉnh để ký số."]},
        ) from None
    kept = store_file(
        io.BytesIO(signed), f"{dossier.code}-ket-qua-ky-so.pdf", stored.owner, now=now
    )
    StoredFile.objects.filter(pk=kept.pk).update(attached=True)
    kept.attached = True
    SignedResult.objects.create(
        token=token,
        dossier=dossier,
        original_file=stored,
        signed_file=kept,
        signer=signer.subject,
        signed_at=now,
    )
    return kept


def land_result(event: Event) -> VaultDocument | None:
    """A returned result goes into the applicant's vault (in the return's transaction)."""
    if event.action != "return_result":
        return None
    dossier = event.dossier
    delivery = (event.payload or {}).get("delivery")
    if delivery not in LANDING_DELIVERIES or not dossier.applicant_user_id:
        return None
    if dossier.result_file_id is None:
        return None
    agency = dossier.current_agency or dossier.agency
    finished = timezone.localtime(dossier.finished_at or event.at).date()
    document, _ = VaultDocument.objects.get_or_create(
        owner_id=dossier.applicant_user_id,
        dossier=dossier,
        source=Source.RESULT,
        defaults={
            "kind": Kind.RESULT,
            "title": dossier.procedure.name[:300],
            "issuer": agency.name[:300],
            "issued_on": finished,
            "file_id": dossier.result_file_id,
            "created_at": event.at,
        },
    )
    return document


def latest_signed(dossier: Dossier) -> SignedResult | None:
    return (
        SignedResult.objects.filter(dossier=dossier, signed_file_id=dossier.result_file_id)
        .order_by("-signed_at")
        .first()
    )


@dataclass(frozen=True)
class Verification:
    """What the verification page says: never the applicant's personal data."""

    valid: bool
    reason: str = ""
    dossier_code: str = ""
    procedure: str = ""
    agency: str = ""
    issued_at: datetime | None = None
    signer: str = ""

    def as_dict(self) -> dict:
        return {
            "valid": self.valid,
            "reason": self.reason,
            "dossier_code": self.dossier_code,
            "procedure": self.procedure,
            "agency": self.agency,
            "issued_at": self.issued_at,
            "signer": self.signer,
        }


def _facts(result: SignedResult | None) -> dict:
    if result is None:
        return {}
    dossier = result.dossier
    agency = dossier.current_agency or dossier.agency
    return {
        "dossier_code": dossier.code or "",
        "procedure": dossier.procedure.name,
        "agency": agency.name,
        "issued_at": result.signed_at,
    }


def _signed_results():
    return SignedResult.objects.select_related(
        "dossier__procedure", "dossier__agency", "dossier__current_agency", "signed_file"
    )


def verify_token(token: str) -> Verification:
    """Check the stored signed result behind a verification token (NotFound if none)."""
    result = _signed_results().filter(token=token).first() if token else None
    if result is None:
        raise NotFound("Không tìm thấy kết quả điện tử với mã kiểm tra này.")
    with result.signed_file.file.open("rb") as handle:
        verdict = signing.validate_pdf(handle.read())
    return Verification(
        verdict.valid, verdict.reason, signer=verdict.signer or result.signer, **_facts(result)
    )


def verify_upload(data: bytes) -> Verification:
    """Check an uploaded PDF itself: its signature, and whether it is a result we issued."""
    verdict = signing.validate_pdf(data)
    digest = hashlib.sha256(data).hexdigest()
    result = _signed_results().filter(signed_file__sha256=digest).first()
    facts = _facts(result) if verdict.valid else {}
    if verdict.valid and result is None:
        reason = "Chữ ký số hợp lệ, nhưng tệp không phải kết quả do hệ thống này cấp."
        return Verification(True, reason, signer=verdict.signer, issued_at=verdict.signed_at)
    return Verification(verdict.valid, verdict.reason, signer=verdict.signer, **facts)


def read_pdf_upload(file) -> bytes:
    """The bytes of a PDF uploaded to be checked: 413 past the upload limit, 415 for what
    is not a PDF by its content."""
    size = getattr(file, "size", None)
    if size is not None and size > max_upload_bytes():
        raise too_large()
    if sniff(file) != PDF:
        raise UnsupportedFileType("Chỉ kiểm tra được tệp PDF.")
    file.seek(0)
    return file.read()
