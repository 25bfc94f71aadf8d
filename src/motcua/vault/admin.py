"""The vault in the admin: read-only lists for support staff (changes go through services)."""

from django.contrib import admin

from motcua.core.admin import ReadOnlyAdmin as ReadOnly

from .models import DocumentRead, Share, ShareAccess, SignedResult, VaultDocument


@admin.register(SignedResult)
class SignedResultAdmin(ReadOnly):
    list_display = ("dossier", "signer", "signed_at")
    search_fields = ("dossier__code",)
    raw_id_fields = ("dossier", "original_file", "signed_file")


@admin.register(VaultDocument)
class VaultDocumentAdmin(ReadOnly):
    list_display = ("title", "kind", "source", "issued_on", "expires_on", "hidden", "created_at")
    list_filter = ("kind", "source", "hidden")
    raw_id_fields = ("owner", "dossier", "file")


@admin.register(Share)
class ShareAdmin(ReadOnly):
    list_display = ("document", "created_at", "expires_at", "revoked_at")
    raw_id_fields = ("document",)
    exclude = ("token",)


@admin.register(ShareAccess)
class ShareAccessAdmin(ReadOnly):
    list_display = ("share", "at", "ip_prefix")
    raw_id_fields = ("share",)


@admin.register(DocumentRead)
class DocumentReadAdmin(ReadOnly):
    list_display = ("document", "agency", "role", "at", "purpose")
    raw_id_fields = ("document", "user", "agency", "dossier")
