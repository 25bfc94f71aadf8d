"""Reads of the vault shared by the API and the pages, scoped by who asks."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.queries import access_log_for_applicant, received_in

from .models import DocumentRead, Share, ShareAccess, SignedResult, Source, VaultDocument

ROLE_NAMES = {
    "reception": "Bộ phận tiếp nhận và trả kết quả",
    "specialist": "Chuyên viên",
    "head": "Lãnh đạo phòng",
    "leader": "Lãnh đạo đơn vị",
    "catalog_admin": "Quản trị thủ tục",
    "monitor": "Giám sát",
}
LOG_KINDS = {
    "dossier": "Cán bộ xem hồ sơ",
    "document": "Cán bộ xem giấy tờ trong kho",
    "share": "Mở liên kết chia sẻ",
}


def documents_of(user, *, include_hidden: bool = False) -> QuerySet[VaultDocument]:
    rows = VaultDocument.objects.filter(owner_id=getattr(user, "pk", None))
    if not include_hidden:
        rows = rows.filter(hidden=False)
    return rows.select_related("file", "dossier").order_by("-created_at", "-id")


def reusable_documents(user, *, today: date | None = None) -> QuerySet[VaultDocument]:
    """What a new dossier may take from the vault: shown, and not expired."""
    today = today or timezone.localdate()
    rows = documents_of(user)
    return rows.exclude(expires_on__lt=today)


def shares_of(user) -> QuerySet[Share]:
    return (
        Share.objects.filter(document__owner_id=getattr(user, "pk", None))
        .select_related("document")
        .order_by("-created_at")
    )


def role_names(roles: str) -> str:
    return ", ".join(ROLE_NAMES.get(r, r) for r in roles.split(",") if r)


@dataclass(frozen=True)
class LogEntry:
    """One line of "who looked at my data": who (an agency and a role, never a bare name),
    when, what and why."""

    kind: str
    at: datetime
    who: str
    what: str
    why: str

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "at": self.at,
            "who": self.who,
            "what": self.what,
            "why": self.why,
        }


def _officer(agency, roles: str) -> str:
    name = agency.name if agency else ""
    described = role_names(roles)
    return f"{name} — {described}" if name and described else name or described


def access_log(
    user, *, kind: str | None = None, offset: int = 0, size: int = 20
) -> tuple[list[LogEntry], int]:
    """One page of the entries (of `kind` when given), newest first, and how many there are
    in all: each source gives its newest `offset + size` rows, merged by time."""
    limit = offset + size
    sources = []
    if kind in (None, "dossier"):
        rows = access_log_for_applicant(user)
        sources.append(
            (
                rows.count(),
                lambda n, rows=rows: [
                    LogEntry(
                        "dossier",
                        r.at,
                        _officer(r.agency, r.role),
                        f"Hồ sơ {r.dossier.code}",
                        r.purpose,
                    )
                    for r in rows[:n]
                ],
            )
        )
    if kind in (None, "document"):
        rows = (
            DocumentRead.objects.filter(document__owner=user)
            .select_related("agency", "document", "dossier")
            .order_by("-at", "-id")
        )
        sources.append(
            (
                rows.count(),
                lambda n, rows=rows: [
                    LogEntry(
                        "document",
                        r.at,
                        _officer(r.agency, r.role),
                        r.document.title,
                        r.purpose + (f" (hồ sơ {r.dossier.code})" if r.dossier_id else ""),
                    )
                    for r in rows[:n]
                ],
            )
        )
    if kind in (None, "share"):
        rows = (
            ShareAccess.objects.filter(share__document__owner=user)
            .select_related("share__document")
            .order_by("-at", "-id")
        )
        sources.append(
            (
                rows.count(),
                lambda n, rows=rows: [
                    LogEntry(
                        "share",
                        r.at,
                        f"Người có liên kết ({r.ip_prefix or 'không rõ địa chỉ'})",
                        r.share.document.title,
                        f"{r.purpose}; {r.user_agent[:80]}".rstrip("; "),
                    )
                    for r in rows[:n]
                ],
            )
        )
    total = sum(count for count, _ in sources)
    merged = [entry for _, read in sources for entry in read(limit)]
    merged.sort(key=lambda e: e.at, reverse=True)
    return merged[offset:limit], total


# ------------------------------------------------------------------------------ indicators


def with_signed_result(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Indicator 5.1's numerator over finished dossiers of procedures whose result is a
    document: those whose result was signed (a `SignedResult` for the result they hold)."""
    signed = SignedResult.objects.filter(
        dossier=OuterRef("pk"), signed_file_id=OuterRef("result_file_id")
    )
    return dossiers.filter(Exists(signed))


def reusing(agencies, start, end) -> QuerySet[Dossier]:
    """Indicator 5.4's numerator (its denominator is `received_in`): dossiers received with
    at least one component flagged `reused`."""
    reused = DossierComponent.objects.filter(dossier=OuterRef("pk"), reused=True)
    return received_in(agencies, start, end).filter(Exists(reused))


def using_the_vault(agencies, start, end) -> QuerySet[Dossier]:
    """Indicator 5.5's numerator: dossiers received with a component taken from the
    applicant's vault, or whose result was delivered into it."""
    from_vault = DossierComponent.objects.filter(
        dossier=OuterRef("pk"),
        reused=True,
        file__vault_documents__owner_id=OuterRef("applicant_user_id"),
    )
    delivered = VaultDocument.objects.filter(dossier=OuterRef("pk"), source=Source.RESULT)
    return received_in(agencies, start, end).filter(Q(Exists(from_vault)) | Q(Exists(delivered)))
