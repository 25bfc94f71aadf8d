"""Reads shared by the API, the pages and the services: who sees which dossier, inbox lists."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import OfficerRole, Procedure
from motcua.core.errors import NotFound

from .models import OPEN, AccessLog, Dossier, Event, Status, Timeliness

_ROLES_CACHE = "_motcua_officer_roles"


def officer_roles(user) -> dict[int, frozenset[str]]:
    """{agency id: roles} of an officer (empty for citizens), read once per user object."""
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        roles: dict[int, set[str]] = {}
        for agency_id, role in OfficerRole.objects.filter(user=user).values_list(
            "agency_id", "role"
        ):
            roles.setdefault(agency_id, set()).add(role)
        cached = {agency: frozenset(r) for agency, r in roles.items()}
        setattr(user, _ROLES_CACHE, cached)
    return cached


def forget_roles(user) -> None:
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)


def is_applicant(user, dossier: Dossier) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and dossier.applicant_user_id is not None
        and dossier.applicant_user_id == user.pk
    )


def officer_agency_of(user, dossier: Dossier) -> int | None:
    """The dossier's agency (receiving, else current) where the user holds a role."""
    if dossier.status == Status.DRAFT:
        return None
    roles = officer_roles(user)
    for agency_id in (dossier.agency_id, dossier.current_agency_id):
        if agency_id in roles:
            return agency_id
    return None


def can_see(user, dossier: Dossier) -> bool:
    return is_applicant(user, dossier) or officer_agency_of(user, dossier) is not None


def visible_dossiers(user) -> QuerySet[Dossier]:
    """The applicant's own dossiers plus those of the agencies where the user is an officer
    (the receiving agency or the agency of the current step)."""
    if user is None or not user.is_authenticated:
        return Dossier.objects.none()
    scope = Q(applicant_user=user)
    agencies = list(officer_roles(user))
    if agencies:
        # Drafts are the applicant's alone.
        scope |= (Q(agency_id__in=agencies) | Q(current_agency_id__in=agencies)) & ~Q(
            status=Status.DRAFT
        )
    return Dossier.objects.filter(scope)


def with_related(rows: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return rows.select_related("procedure", "agency", "current_step", "current_agency", "assignee")


def dossier_for(user, code: str, *, for_update: bool = False) -> Dossier:
    """The dossier with this code if the user may see it; otherwise 404 (never leak that a
    dossier exists)."""
    rows = Dossier.objects.all()
    if for_update:
        rows = rows.select_for_update(of=("self",))
    dossier = with_related(rows).filter(code=code).first() if code else None
    if dossier is None or not can_see(user, dossier):
        raise NotFound("Không tìm thấy hồ sơ.")
    return dossier


def overdue_filter(now=None) -> Q:
    now = now or timezone.now()
    running_late = Q(status__in=OPEN, paused_at__isnull=True, due_at__lt=now)
    return running_late | Q(timeliness=Timeliness.OVERDUE)


def _parts(user) -> tuple[list[Q], Q]:
    """The caller's visible dossiers as parts each served by one index in submission order
    (an OR of them would sort every visible row for each page): the officer's agencies'
    dossiers, those another agency's step holds for them, and the caller's own. Returns the
    parts and the overlap of the own part with the others (counted once)."""
    own = Q(applicant_user=user)
    agencies = list(officer_roles(user))
    if not agencies:
        return [own], Q(pk__in=[])
    receiving = Q(agency_id__in=agencies) & ~Q(status=Status.DRAFT)
    holding = Q(held_by_id__in=agencies) & ~Q(agency_id__in=agencies)
    holding &= ~Q(status=Status.DRAFT)
    return [receiving, holding, own], own & (receiving | holding)


def inbox_page(
    user,
    *,
    page: int = 1,
    size: int = 20,
    status: str | None = None,
    procedure: str | None = None,
    overdue: bool | None = None,
) -> tuple[list[Dossier], int]:
    """One page of the caller's dossiers, newest first, and their total, in a number of
    queries that does not grow with the rows: per part a count and the keys of its first
    `page * size` rows, merged; then the page's rows."""
    if user is None or not user.is_authenticated:
        return [], 0
    rows = Dossier.objects.all()
    if status:
        rows = rows.filter(status=status)
    if procedure:
        rows = rows.filter(procedure_id__in=Procedure.objects.filter(code=procedure).values("id"))
    if overdue is True:
        rows = rows.filter(overdue_filter())
    elif overdue is False:
        rows = rows.exclude(overdue_filter())
    parts, overlap = _parts(user)
    total, keys = 0, {}
    for part in parts:
        chosen = rows.filter(part)
        count = chosen.count()
        total += count
        if count and part is parts[-1] and len(parts) > 1:
            total -= rows.filter(overlap).count()  # an officer's own dossiers at their agency
        ordered = chosen.order_by("-submitted_at", "-id").values_list("submitted_at", "id")
        keys.update((pk, at) for at, pk in ordered[: page * size])
    # Newest first; drafts (not submitted yet) before everything.
    ordered_ids = sorted(keys, key=lambda pk: (keys[pk] is None, keys[pk] or pk, pk), reverse=True)
    ids = ordered_ids[(page - 1) * size : page * size]
    found = {d.pk: d for d in with_related(Dossier.objects.filter(pk__in=ids))}
    return [found[pk] for pk in ids], total


def events_of(dossier: Dossier) -> QuerySet[Event]:
    return (
        Event.objects.filter(dossier=dossier)
        .select_related("to_step", "from_step", "to_step__agency")
        .order_by("seq")
    )


def record_officer_read(user, dossier: Dossier, purpose: str, *, now=None) -> AccessLog | None:
    """Log an officer's read for the citizen's access log; the applicant's own reads are not
    logged."""
    if is_applicant(user, dossier):
        return None
    agency_id = officer_agency_of(user, dossier)
    if agency_id is None:
        return None
    roles = sorted(officer_roles(user).get(agency_id, ()))
    return AccessLog.objects.create(
        dossier=dossier,
        user=user,
        agency_id=agency_id,
        role=",".join(roles),
        at=now or timezone.now(),
        purpose=purpose,
    )


def access_log_for_applicant(user) -> QuerySet[AccessLog]:
    """Who (agency, role) read the dossiers of this citizen, newest first."""
    return (
        AccessLog.objects.filter(dossier__applicant_user=user)
        .select_related("agency", "dossier")
        .order_by("-at")
    )
