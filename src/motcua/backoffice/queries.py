"""The officers' inbox: which dossiers each tab holds, scoped by the dossiers app's rules
(an officer sees only the dossiers of the agencies where they hold a role)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import OfficerRole, Procedure
from motcua.dossiers import tallies
from motcua.dossiers.models import OPEN, Dossier, Status
from motcua.dossiers.queries import (
    officer_parts,
    officer_roles,
    overdue_filter,
    running,
    waiting_for,
    with_related,
)

RECEPTION = OfficerRole.Role.RECEPTION.value


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    reception_only: bool = False


TABS = (
    Tab("tiep-nhan", _("Chờ tiếp nhận"), reception_only=True),
    Tab("xu-ly", _("Cần xử lý tại bước của tôi")),
    Tab("bo-sung", _("Chờ bổ sung")),
    Tab("sap-het-han", _("Đến hạn trong 1 ngày làm việc")),
    Tab("qua-han", _("Quá hạn")),
    Tab("tat-ca", _("Tất cả")),
)
DEFAULT_TAB = "xu-ly"


def reception_agencies(user) -> list[int]:
    return [agency for agency, roles in officer_roles(user).items() if RECEPTION in roles]


def tabs_for(user) -> list[Tab]:
    receives = bool(reception_agencies(user))
    return [tab for tab in TABS if receives or not tab.reception_only]


def tab_filters(user, now=None) -> dict[str, Q]:
    now = now or timezone.now()
    return {
        "tiep-nhan": waiting_for(user, [Status.SUBMITTED]),
        # At my step: the step's work, and the receiving agency's counter's (the payment
        # record, the result).
        "xu-ly": waiting_for(
            user, [Status.PROCESSING, Status.AWAITING_PAYMENT, Status.RESULT_READY]
        ),
        "bo-sung": Q(status=Status.AWAITING_SUPPLEMENT),
        "sap-het-han": running() & Q(due_soon=True, due_at__gte=now),
        "qua-han": Q(status__in=OPEN) & overdue_filter(now),
        "tat-ca": Q(),
    }


# Every tab but "tat-ca" holds only dossiers still being worked on, a small share of an
# agency's rows: they are counted apart from the (index-only) count of all rows.
LIVE = sorted(OPEN | {Status.RESULT_READY})


def tab_part_counts(user, now=None) -> dict[str, list[int]]:
    """Every tab's count in each of `officer_parts`, in three queries whatever the rows."""
    filters = tab_filters(user, now)
    receiving, holding = officer_parts(user)
    live = {slug: Count("pk", filter=q) for slug, q in filters.items() if slug != "tat-ca"}
    mine = Dossier.objects.filter(receiving, status__in=LIVE).aggregate(**_named(live))
    mine["tat_ca"] = tallies.received_total(list(officer_roles(user)))  # kept, not counted
    held = Dossier.objects.filter(holding).aggregate(**_named(live), tat_ca=Count("pk"))
    return {slug: [mine[_name(slug)] or 0, held[_name(slug)] or 0] for slug in filters}


def tab_counts(user, now=None) -> dict[str, int]:
    return {slug: sum(parts) for slug, parts in tab_part_counts(user, now).items()}


def _name(slug: str) -> str:
    return slug.replace("-", "_")


def _named(aggregates: dict) -> dict:
    return {_name(slug): value for slug, value in aggregates.items()}


def search_filter(text: str) -> Q:
    """By dossier code (or part of it), applicant's ID number, or applicant's name."""
    text = text.strip()
    query = Q(code__icontains=text) | Q(applicant__full_name__icontains=text)
    if text.isdigit():
        query |= Q(applicant_id_number=text)
    return query


NO_DEADLINE = datetime.min.replace(tzinfo=UTC)


class InboxIds:
    """The ids of one tab's dossiers, oldest deadline first (what must be done soonest on
    top), for Django's Paginator: each part is counted and read in deadline order from its
    own index, up to the end of the page asked for, and the parts merged."""

    def __init__(self, parts: list[QuerySet[Dossier]], counts: list[int] | None = None):
        self.parts = parts
        self.counts = counts

    def count(self) -> int:
        if self.counts is None:
            self.counts = [rows.count() for rows in self.parts]
        return sum(self.counts)

    def __getitem__(self, window: slice) -> list[int]:
        parts = [
            rows.order_by(F("due_at").asc(nulls_last=True), "id")
            for index, rows in enumerate(self.parts)
            if self.counts is None or self.counts[index]
        ]
        if len(parts) == 1:  # nothing to merge: the database skips to the page itself
            return list(parts[0].values_list("id", flat=True)[window])
        keys = []
        for ordered in parts:
            keys += ordered.values_list("due_at", "id")[: window.stop]
        keys.sort(key=lambda key: (key[0] is None, key[0] or NO_DEADLINE, key[1]))
        return [pk for _, pk in keys[window]]


def inbox_rows(
    user,
    tab: str,
    *,
    q: str = "",
    procedure: str = "",
    status: str = "",
    channel: str = "",
    now=None,
    part_counts: list[int] | None = None,
) -> InboxIds:
    """The tab's dossier ids; `part_counts`: the tab's count in each part when already read
    (`tab_part_counts`), used when no filter narrows the tab."""
    rows = Dossier.objects.filter(tab_filters(user, now)[tab])
    if q:
        rows = rows.filter(search_filter(q))
    if procedure:
        rows = rows.filter(procedure__code=procedure)
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    parts = [rows.filter(part) for part in officer_parts(user)]
    if part_counts is None:
        return InboxIds(parts)
    # A part the tab has nothing in has nothing once filtered either: not read at all.
    kept = [index for index, count in enumerate(part_counts) if count]
    parts, counts = [parts[i] for i in kept], [part_counts[i] for i in kept]
    narrowed = q or procedure or status or channel
    return InboxIds(parts, None if narrowed else counts)


def dossiers_by_ids(ids: list[int]) -> list[Dossier]:
    """Full rows for one page of ids, in the ids' order. The page is chosen on the ids alone
    first: sorting narrow rows keeps a page quicker when an agency has many dossiers."""
    found = {d.pk: d for d in with_related(Dossier.objects.filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def procedures_of(user) -> list[tuple[str, str]]:
    """(code, name) of the procedures the officer's agencies carry out, for the filter."""
    rows = (
        Procedure.objects.filter(agencies__in=list(officer_roles(user)))
        .exclude(status=Procedure.Status.DRAFT)
        .order_by("name", "code", "-version")
        .values_list("code", "name")
        .distinct()
    )
    seen: dict[str, str] = {}
    for code, name in rows:
        seen.setdefault(code, name)
    return sorted(seen.items(), key=lambda item: item[1])


def counter_procedures(user, q: str = "") -> list[Procedure]:
    """Published procedures the officer may receive at the counter, searched like the
    portal's catalog."""
    from motcua.catalog.queries import published_procedures, search_procedures

    agencies = reception_agencies(user)
    if not agencies:
        return []
    if q:
        ranked = search_procedures(q)
        allowed = set(
            published_procedures()
            .filter(agencies__in=agencies, pk__in=[p.pk for p in ranked])
            .values_list("pk", flat=True)
        )
        return [p for p in ranked if p.pk in allowed]
    return list(
        published_procedures()
        .filter(agencies__in=agencies)
        .select_related("sector")
        .distinct()
        .order_by("name")
    )
