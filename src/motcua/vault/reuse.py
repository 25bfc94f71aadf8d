"""Taking a dossier's component from the applicant's vault (the dossiers' `vault_documents`
port): what is offered for a component, and the file a new dossier takes."""

from motcua.core.errors import NotFound
from motcua.core.text import words

from .models import VaultDocument
from .queries import reusable_documents
from .services import NOT_FOUND

# Words too common in document names to tell two apart.
COMMON = {"giay", "ban", "sao", "cua", "va", "hoac", "ve", "to", "chinh", "theo", "mau", "so"}


def _title_matches(spec_name: str, title: str) -> bool:
    wanted = set(words(spec_name)) - COMMON
    return len(wanted & set(words(title))) >= 2


class VaultDocuments:
    def offered(self, user, spec) -> list[VaultDocument]:
        if not getattr(user, "is_authenticated", False):
            return []
        documents = list(reusable_documents(user)[:200])
        return [
            d
            for d in documents
            if (spec.document_kind and d.kind == spec.document_kind)
            or _title_matches(spec.name, d.title)
        ]

    def take(self, user, document_id):
        try:
            pk = int(document_id)
        except (TypeError, ValueError):
            raise NotFound(NOT_FOUND) from None
        document = reusable_documents(user).filter(pk=pk).first()
        if document is None:
            raise NotFound(NOT_FOUND)
        return document.file


vault_documents = VaultDocuments()
