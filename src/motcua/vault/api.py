"""The vault API (api.md "Vault and results"): documents, shares, the access log, and the
public verification of a signed result. Anybody who may not see a document gets 404."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from motcua.core.api.auth import api_auth
from motcua.core.api.errors import ErrorOut
from motcua.core.api.pagination import Page, PageParams, paginate
from motcua.core.downloads import private_file_response
from motcua.core.idempotency import idempotent
from motcua.core.ratelimit import check_rate, client_ip
from motcua.dossiers.api import local

from . import queries, results, services
from .models import Kind, Share, VaultDocument

router = Router(tags=["vault"])


class VaultDocumentIn(Schema):
    file_id: str = Field(description="Id from POST /files.")
    kind: Literal["identity", "certificate", "other"]
    title: str = Field(max_length=300)
    issuer: str | None = Field(None, max_length=300)
    issued_on: date | None = None
    expires_on: date | None = None


class VaultFileOut(Schema):
    name: str
    size: int
    sha256: str
    content_type: str
    url: str = Field(description="GET it to download the file.")


class VaultDocumentOut(Schema):
    id: int
    kind: Literal[tuple(Kind.values)]
    title: str
    issuer: str
    issued_on: date | None
    expires_on: date | None
    expired: bool
    source: Literal["result", "upload", "registry"]
    dossier_code: str | None = Field(None, description="source result: the dossier.")
    hidden: bool
    verify_url: str | None = Field(None, description="A signed result's verification page.")
    file: VaultFileOut
    created_at: datetime


class ShareIn(Schema):
    expires_in_hours: int = Field(ge=1, le=services.SHARE_MAX_HOURS)


class ShareOut(Schema):
    token: str
    url: str
    expires_at: datetime
    revoked_at: datetime | None = None


class RemovedOut(Schema):
    done: Literal["deleted", "hidden"] = Field(
        description="hidden: a result issued by an agency is hidden, never deleted."
    )


class LogEntryOut(Schema):
    kind: Literal["dossier", "document", "share"]
    at: datetime
    who: str = Field(description="The agency and the officer's role; never a bare name.")
    what: str
    why: str


class VerificationOut(Schema):
    valid: bool
    reason: str = Field(description="Why it is not valid (Vietnamese); empty when valid.")
    dossier_code: str
    procedure: str
    agency: str
    issued_at: datetime | None
    signer: str = Field(description="Subject of the signing certificate.")


def document_out(document: VaultDocument, today: date | None = None) -> dict:
    from django.utils import timezone

    today = today or timezone.localdate()
    signed = results.latest_signed(document.dossier) if document.dossier_id else None
    return {
        "id": document.pk,
        "kind": document.kind,
        "title": document.title,
        "issuer": document.issuer,
        "issued_on": document.issued_on,
        "expires_on": document.expires_on,
        "expired": bool(document.expires_on and document.expires_on < today),
        "source": document.source,
        "dossier_code": document.dossier.code if document.dossier_id else None,
        "hidden": document.hidden,
        "verify_url": results.verify_url(signed.token) if signed else None,
        "file": {
            "name": document.file.name,
            "size": document.file.size,
            "sha256": document.file.sha256,
            "content_type": document.file.content_type,
            "url": f"/api/v1/vault/documents/{document.pk}/file",
        },
        "created_at": local(document.created_at),
    }


def share_out(request, share: Share) -> dict:
    return {
        "token": share.token,
        "url": request.build_absolute_uri(f"/shared/{share.token}"),
        "expires_at": local(share.expires_at),
        "revoked_at": local(share.revoked_at),
    }


class DocumentFilters(PageParams):
    kind: Literal[tuple(Kind.values)] | None = None
    hidden: bool = Field(False, description="Include the hidden results.")


@router.get(
    "/vault/documents",
    auth=api_auth,
    response={200: Page[VaultDocumentOut], 401: ErrorOut},
    summary="The caller's vault, newest first",
)
def list_documents(request, filters: Query[DocumentFilters]):
    rows = queries.documents_of(request.auth, include_hidden=filters.hidden)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return paginate(rows, filters, document_out)


@router.post(
    "/vault/documents",
    auth=api_auth,
    response={201: VaultDocumentOut, 401: ErrorOut, 422: ErrorOut},
    summary="Keep an uploaded file (POST /files) in the caller's vault",
)
def add_document(request, payload: VaultDocumentIn):
    def create():
        document = services.add_document(
            request.auth,
            file_id=payload.file_id,
            kind=payload.kind,
            title=payload.title,
            issuer=payload.issuer or "",
            issued_on=payload.issued_on,
            expires_on=payload.expires_on,
        )
        return 201, document_out(document)

    return idempotent(request, "vault-documents", create)


@router.get(
    "/vault/documents/{document_id}",
    auth=api_auth,
    response={200: VaultDocumentOut, 401: ErrorOut, 404: ErrorOut},
    summary="One document of the caller's vault",
)
def get_document(request, document_id: int):
    return document_out(services.readable(request.auth, document_id))


@router.get(
    "/vault/documents/{document_id}/file",
    auth=api_auth,
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    summary="The document's file (its owner, or an officer of a dossier that uses it)",
)
def document_file(request, document_id: int) -> HttpResponse:
    return private_file_response(services.readable(request.auth, document_id).file)


@router.delete(
    "/vault/documents/{document_id}",
    auth=api_auth,
    response={200: RemovedOut, 401: ErrorOut, 404: ErrorOut},
    summary="Delete an uploaded document, or hide a result issued by an agency",
)
def remove_document(request, document_id: int):
    return {"done": services.remove_document(request.auth, document_id)}


@router.post(
    "/vault/documents/{document_id}/shares",
    auth=api_auth,
    response={201: ShareOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A link serving the document until it expires (1 hour to 30 days) or is revoked",
)
def share_document(request, document_id: int, payload: ShareIn):
    def create():
        share = services.share_document(request.auth, document_id, payload.expires_in_hours)
        return 201, share_out(request, share)

    return idempotent(request, "vault-shares", create)


@router.get(
    "/vault/documents/{document_id}/shares",
    auth=api_auth,
    response={200: list[ShareOut], 401: ErrorOut, 404: ErrorOut},
    summary="The document's shares, newest first",
)
def list_shares(request, document_id: int):
    document = services.owned(request.auth, document_id)
    return [share_out(request, s) for s in document.shares.order_by("-created_at")]


@router.delete(
    "/vault/shares/{token}",
    auth=api_auth,
    response={200: ShareOut, 401: ErrorOut, 404: ErrorOut},
    summary="Revoke a share: its link answers 410 from now on",
)
def revoke_share(request, token: str):
    return share_out(request, services.revoke_share(request.auth, token))


@router.get(
    "/shared/{token}",
    response={200: None, 404: ErrorOut, 410: ErrorOut},
    summary="A shared document (public), until its share expires or is revoked (410)",
)
def open_share(request, token: str) -> HttpResponse:
    document = services.open_share(
        token, address=client_ip(request), user_agent=request.headers.get("User-Agent", "")
    )
    return private_file_response(document.file, inline=True)


class LogFilters(PageParams):
    kind: Literal["dossier", "document", "share"] | None = None


@router.get(
    "/vault/access-log",
    auth=api_auth,
    response={200: Page[LogEntryOut], 401: ErrorOut},
    summary="Who looked at the caller's data: officers' reads of their dossiers and "
    "documents, and the openings of their shares; newest first",
)
def access_log(request, filters: Query[LogFilters]):
    size = filters.page_size
    entries, total = queries.access_log(
        request.auth, kind=filters.kind, offset=(filters.page - 1) * size, size=size
    )
    return {
        "items": [e.as_dict() | {"at": local(e.at)} for e in entries],
        "total": total,
        "page": filters.page,
        "page_size": size,
    }


@router.get(
    "/verify/{token}",
    response={200: VerificationOut, 404: ErrorOut},
    summary="Check a signed result (public; the page its QR code opens): valid or not, and "
    "what it is, never the applicant's personal data",
)
def verify(request, token: str):
    return _verification_out(results.verify_token(token))


@router.post(
    "/verify",
    response={200: VerificationOut, 413: ErrorOut, 415: ErrorOut, 429: ErrorOut},
    summary="Check an uploaded PDF itself (public, rate-limited)",
)
def verify_file(request, file: File[UploadedFile]):
    check_rate(request, "verify-upload", 30, 60)
    return _verification_out(results.verify_upload(results.read_pdf_upload(file)))


def _verification_out(verification) -> dict:
    return verification.as_dict() | {"issued_at": local(verification.issued_at)}
