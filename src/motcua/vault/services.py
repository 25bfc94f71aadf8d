"""The vault's use cases: keep a document, hide or delete it, share it, open a share. Every
change goes through a function here, in one transaction."""

import ipaddress
import secrets
from datetime import date, datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.core.errors import Gone, NotFound, ValidationFailed
from motcua.dossiers.models import Dossier, DossierComponent, Status, StoredFile
from motcua.dossiers.queries import officer_roles

from .models import DocumentRead, Kind, Share, ShareAccess, Source, VaultDocument

SHARE_MIN_HOURS, SHARE_MAX_HOURS = 1, 30 * 24
NOT_FOUND = "Không tìm thấy giấy tờ trong kho dữ liệu."


def owned(user, document_id) -> VaultDocument:
    """The caller's own document; anybody else's (or none) is NotFound, never a hint."""
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        raise NotFound(NOT_FOUND) from None
    document = (
        VaultDocument.objects.select_related("file", "dossier")
        .filter(pk=pk, owner_id=getattr(user, "pk", None))
        .first()
    )
    if document is None:
        raise NotFound(NOT_FOUND)
    return document


def readable(user, document_id, *, purpose: str = "Xem giấy tờ của hồ sơ") -> VaultDocument:
    """The document for its owner, or for an officer of an agency holding a dossier that
    uses it (a component taken from it, or the result it is); that officer's read is
    logged for the owner. Anybody else: NotFound."""
    try:
        return owned(user, document_id)
    except NotFound:
        pass
    roles = officer_roles(user)
    if not roles or not str(document_id).isdigit():
        raise NotFound(NOT_FOUND)
    document = VaultDocument.objects.select_related("file").filter(pk=document_id).first()
    if document is None:
        raise NotFound(NOT_FOUND)
    dossier = _dossier_using(document, roles)
    if dossier is None:
        raise NotFound(NOT_FOUND)
    agency_id = dossier.agency_id if dossier.agency_id in roles else dossier.current_agency_id
    DocumentRead.objects.create(
        document=document,
        user=user,
        agency_id=agency_id,
        role=",".join(sorted(roles[agency_id])),
        dossier=dossier,
        at=timezone.now(),
        purpose=purpose,
    )
    return document


def _dossier_using(document: VaultDocument, roles: dict) -> Dossier | None:
    agencies = Q(agency_id__in=roles) | Q(current_agency_id__in=roles)
    uses = Q(components__file_id=document.file_id) | Q(result_file_id=document.file_id)
    return (
        Dossier.objects.filter(agencies & uses).exclude(status=Status.DRAFT).order_by("-id").first()
    )


def _check_dates(issued_on: date | None, expires_on: date | None) -> None:
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationFailed(fields={"expires_on": ["Ngày hết hạn phải sau ngày cấp."]})


def add_document(
    owner,
    *,
    file_id,
    kind: str,
    title: str,
    issuer: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
    now: datetime | None = None,
) -> VaultDocument:
    """Keep one of the owner's uploads (POST /files, content-checked there) in their vault."""
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values or kind == Kind.RESULT:
        errors["kind"] = ["Loại giấy tờ không hợp lệ (identity, certificate, other)."]
    title = (title or "").strip()
    if not title:
        errors["title"] = ["Bắt buộc nhập tên giấy tờ."]
    if errors:
        raise ValidationFailed(fields=errors)
    _check_dates(issued_on, expires_on)
    with transaction.atomic():
        stored = (
            StoredFile.objects.select_for_update()
            .filter(pk=_uuid(file_id), owner_id=owner.pk)
            .first()
        )
        if stored is None:
            raise ValidationFailed(fields={"file_id": ["Không tìm thấy tệp đã tải lên."]})
        if stored.attached:
            raise ValidationFailed(fields={"file_id": ["Tệp đã được dùng ở nơi khác."]})
        StoredFile.objects.filter(pk=stored.pk).update(attached=True)
        return VaultDocument.objects.create(
            owner=owner,
            kind=kind,
            title=title[:300],
            issuer=(issuer or "").strip()[:300],
            issued_on=issued_on,
            expires_on=expires_on,
            source=Source.UPLOAD,
            file=stored,
            created_at=now or timezone.now(),
        )


def _uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise ValidationFailed(fields={"file_id": ["Mã tệp không hợp lệ."]}) from None


def remove_document(user, document_id) -> str:
    """Delete the owner's upload (its file goes too unless a dossier uses it), or hide a
    result issued by an agency, which its owner may not delete. Returns what was done:
    "deleted" or "hidden"."""
    with transaction.atomic():
        document = owned(user, document_id)
        if document.issued_by_agency:
            VaultDocument.objects.filter(pk=document.pk).update(hidden=True)
            return "hidden"
        stored = document.file
        document.delete()
        in_use = (
            DossierComponent.objects.filter(file=stored).exists()
            or VaultDocument.objects.filter(file=stored).exists()
        )
        if not in_use:
            name = stored.file.name
            stored.delete()
            transaction.on_commit(lambda: default_storage.delete(name))
        return "deleted"


def show_document(user, document_id) -> VaultDocument:
    """Show again a hidden result."""
    with transaction.atomic():
        document = owned(user, document_id)
        VaultDocument.objects.filter(pk=document.pk).update(hidden=False)
        document.hidden = False
        return document


def share_document(user, document_id, hours, *, now: datetime | None = None) -> Share:
    """A link to one document, open for `hours` (1 hour to 30 days)."""
    if isinstance(hours, bool) or not isinstance(hours, int):
        raise ValidationFailed(fields={"expires_in_hours": ["Phải là số nguyên giờ."]})
    if not SHARE_MIN_HOURS <= hours <= SHARE_MAX_HOURS:
        raise ValidationFailed(
            fields={"expires_in_hours": ["Thời hạn chia sẻ từ 1 giờ đến 30 ngày (720 giờ)."]}
        )
    now = now or timezone.now()
    with transaction.atomic():
        document = owned(user, document_id)
        return Share.objects.create(
            token=secrets.token_urlsafe(24),
            document=document,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )


def revoke_share(user, token: str, *, now: datetime | None = None) -> Share:
    with transaction.atomic():
        share = (
            Share.objects.select_for_update()
            .filter(token=token or "", document__owner_id=getattr(user, "pk", None))
            .first()
        )
        if share is None:
            raise NotFound("Không tìm thấy liên kết chia sẻ.")
        if share.revoked_at is None:
            share.revoked_at = now or timezone.now()
            share.save(update_fields=["revoked_at"])
        return share


def ip_prefix(address: str) -> str:
    """The network of an address, never the address: /24 for IPv4, /48 for IPv6."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    bits = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


def open_share(token: str, *, address: str, user_agent: str, now=None) -> VaultDocument:
    """The shared document, and its access logged; NotFound for no such link, Gone (410)
    once expired or revoked."""
    now = now or timezone.now()
    share = (
        Share.objects.select_related("document__file").filter(token=token or "").first()
        if token
        else None
    )
    if share is None:
        raise NotFound("Không tìm thấy liên kết chia sẻ.")
    if not share.live(now):
        raise Gone()
    ShareAccess.objects.create(
        share=share,
        at=now,
        purpose="Mở liên kết chia sẻ",
        ip_prefix=ip_prefix(address),
        user_agent=(user_agent or "")[:300],
    )
    return share.document
