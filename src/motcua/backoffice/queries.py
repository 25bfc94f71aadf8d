"""The officers' inbox: which dossiers each tab holds, scoped by the dossiers app's rules
(an officer sees only the dossiers of the agencies where they hold a role)."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import OfficerRole, Procedure
from motcua.dossiers.models import OPEN, Dossier, Status
from motcua.dossiers.queries import officer_roles, overdue_filter, visible_dossiers, with_related

RECEPTION = OfficerRole.Role.RECEPTION.value
NOTHING = Q(pk__in=[])


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


def officer_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers of the officer's agencies (receiving agency or agency of the current
    step); an officer's own applications as a citizen are not in the back office."""
    agencies = list(officer_roles(user))
    return visible_dossiers(user).filter(
        Q(agency_id__in=agencies) | Q(current_agency_id__in=agencies)
    )


def tab_filters(user, now=None) -> dict[str, Q]:
    now = now or timezone.now()
    roles = officer_roles(user)
    counters = reception_agencies(user)
    # At my step: the current step's role is one I hold at the step's agency; the receiving
    # agency's counter also owes the applicant a payment record or the result.
    mine = [
        Q(status=Status.PROCESSING, current_agency_id=agency, current_step__role__in=held)
        for agency, held in roles.items()
    ]
    if counters:
        mine.append(
            Q(status__in=[Status.AWAITING_PAYMENT, Status.RESULT_READY], agency_id__in=counters)
        )
    return {
        "tiep-nhan": Q(status=Status.SUBMITTED, agency_id__in=counters) if counters else NOTHING,
        "xu-ly": reduce(or_, mine) if mine else NOTHING,
        "bo-sung": Q(status=Status.AWAITING_SUPPLEMENT),
        "sap-het-han": Q(status__in=OPEN, paused_at__isnull=True, due_soon=True, due_at__gte=now),
        "qua-han": Q(status__in=OPEN) & overdue_filter(now),
        "tat-ca": Q(),
    }


def tab_counts(user, now=None) -> dict[str, int]:
    """Every tab's count in one query."""
    filters = tab_filters(user, now)
    counts = officer_dossiers(user).aggregate(
        **{slug.replace("-", "_"): Count("pk", filter=q) for slug, q in filters.items()}
    )
    return {slug: counts[slug.replace("-", "_")] for slug in filters}


def search_filter(text: str) -> Q:
    """By dossier code (or part of it), applicant's ID number, or applicant's name."""
    text = text.strip()
    query = Q(code__icontains=text) | Q(applicant__full_name__icontains=text)
    if text.isdigit():
        query |= Q(applicant_id_number=text)
    return query


def inbox_rows(
    user,
    tab: str,
    *,
    q: str = "",
    procedure: str = "",
    status: str = "",
    channel: str = "",
    now=None,
) -> QuerySet[Dossier]:
    rows = officer_dossiers(user).filter(tab_filters(user, now)[tab])
    if q:
        rows = rows.filter(search_filter(q))
    if procedure:
        rows = rows.filter(procedure__code=procedure)
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    # Oldest deadline first: what must be done soonest is on top.
    return with_related(rows).order_by("due_at", "id")


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
