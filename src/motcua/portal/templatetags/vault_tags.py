from django import template

from motcua.vault.models import Source, VaultDocument
from motcua.vault.results import latest_signed

register = template.Library()


@register.simple_tag
def result_in_vault(dossier, user) -> dict:
    """The dossier's result as it is in the user's vault, and its verification token."""
    if not getattr(user, "is_authenticated", False) or not dossier.result_file_id:
        return {}
    document = VaultDocument.objects.filter(
        owner=user, dossier=dossier, source=Source.RESULT
    ).first()
    signed = latest_signed(dossier)
    return {"document": document, "token": signed.token if signed else ""}
