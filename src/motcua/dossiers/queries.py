"""Reads shared by the API, the pages and the services: who sees which dossier, inbox lists."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import OfficerRole
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


def inbox(
    user, *, status: str | None = None, procedure: str | None = None, overdue: bool | None = None
) -> QuerySet[Dossier]:
    rows = visible_dossiers(user)
    if status:
        rows = rows.filter(status=status)
    if procedure:
        rows = rows.filter(procedure__code=procedure)
    if overdue is True:
        rows = rows.filter(overdue_filter())
    elif overdue is False:
        rows = rows.exclude(overdue_filter())
    return with_related(rows).order_by("-submitted_at", "-id")


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
