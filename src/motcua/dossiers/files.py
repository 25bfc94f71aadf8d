"""Uploaded files: recognised by their bytes (never by name), limited in size, hashed, kept in
private storage, and removed when left unattached for a day."""

import hashlib
import io
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from motcua.core.antivirus import get_scanner
from motcua.core.errors import DomainError

from .content import pdf_active_content, zip_over_bounds
from .models import StoredFile

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = (PDF, JPEG, PNG, DOCX, XLSX)
UNATTACHED_TTL = timedelta(hours=24)


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


class UnsupportedFileType(DomainError):
    status = 415
    code = "unsupported_file_type"
    message = "Chỉ nhận tệp PDF, JPEG, PNG, DOCX hoặc XLSX."


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def too_large() -> PayloadTooLarge:
    return PayloadTooLarge(f"Tệp vượt quá dung lượng cho phép ({settings.MAX_UPLOAD_MB} MB).")


def sniff(fileobj) -> str | None:
    """The content type from the file's first bytes (and, for zip containers, its parts)."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fileobj.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def refuse_active_content(fileobj, content_type: str) -> None:
    """Raise unless the file is inert: no PDF scripts or embedded files (415), no ZIP that
    inflates past its bound (413), nothing the virus scanner knows (415)."""
    if content_type == PDF and (what := pdf_active_content(fileobj)):
        raise UnsupportedFileType(f"Không nhận tệp PDF chứa nội dung chủ động: {what}.")
    if content_type in (DOCX, XLSX) and (why := zip_over_bounds(fileobj)):
        raise PayloadTooLarge(f"Tệp {why}.")
    if threat := get_scanner().scan(fileobj):
        raise UnsupportedFileType(f"Tệp bị phát hiện chứa mã độc ({threat}).")


def store_file(fileobj, name: str, owner, *, now=None) -> StoredFile:
    """Check and keep an upload; `fileobj` is any binary file object (an UploadedFile...)."""
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
    if size > max_upload_bytes():
        raise too_large()
    content_type = sniff(fileobj)
    if content_type is None:
        raise UnsupportedFileType()
    refuse_active_content(fileobj, content_type)
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    clean_name = (name or "tep").replace("/", "_").replace("\\", "_").strip()[:255] or "tep"
    stored = StoredFile(
        owner=owner,
        name=clean_name,
        size=size,
        sha256=digest.hexdigest(),
        content_type=content_type,
        created_at=now or timezone.now(),
    )
    stored.file.save(stored.id.hex, File(fileobj), save=False)
    try:
        stored.save()
    except BaseException:
        stored.file.delete(save=False)
        raise
    return stored


def purge_unattached(now=None) -> int:
    """Delete files not attached to a dossier (or the vault) within `UNATTACHED_TTL`."""
    limit = (now or timezone.now()) - UNATTACHED_TTL
    removed = 0
    for stored in StoredFile.objects.filter(attached=False, created_at__lt=limit).iterator():
        with transaction.atomic():
            locked = (
                StoredFile.objects.select_for_update().filter(pk=stored.pk, attached=False).first()
            )
            if locked is None:
                continue
            name = locked.file.name
            locked.delete()
            # The bytes go once the row is gone for good.
            transaction.on_commit(lambda n=name: default_storage.delete(n))
        removed += 1
    return removed
