"""Reads shared by the API, the pages and the services: who sees which dossier, inbox lists."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import OfficerRole, Procedure
from motcua.core.errors import NotFound

from . import tallies
from .models import OPEN, AccessLog, Dossier, Event, IdentityCheck, Status, Timeliness

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


def holds_role_sql(user_id: str) -> str:
    """SQL: whether the user whose id is the column `user_id` holds any officer role."""
    table = OfficerRole._meta.db_table
    return f"EXISTS (SELECT 1 FROM {table} r WHERE r.user_id = {user_id})"


def no_officer_roles(user) -> None:
    """The caller is known to hold no role (read with their sign-in): skip the query."""
    setattr(user, _ROLES_CACHE, {})


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


def is_helper(user, dossier: Dossier) -> bool:
    """Whether the user submitted this dossier for its applicant (assisted submission)."""
    return (
        user is not None
        and user.is_authenticated
        and dossier.helper_user_id is not None
        and dossier.helper_user_id == user.pk
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
    """Who sees a dossier: its applicant; whoever submitted it for the applicant (the helper
    of an assisted submission, dossiers/assisted.py); the officers of the receiving agency
    and of the agency of the current step. Anyone else gets 404."""
    return (
        is_applicant(user, dossier)
        or is_helper(user, dossier)
        or officer_agency_of(user, dossier) is not None
    )


def own(user) -> Q:
    """The user's own dossiers: as the applicant, or as the helper who submitted them."""
    return Q(applicant_user=user) | Q(helper_user=user)


def visible_dossiers(user) -> QuerySet[Dossier]:
    """The caller's own dossiers (`own`) plus those of the agencies where the user is an
    officer (the receiving agency or the agency of the current step)."""
    if user is None or not user.is_authenticated:
        return Dossier.objects.none()
    scope = own(user)
    agencies = list(officer_roles(user))
    if agencies:
        # Drafts are the applicant's alone.
        scope |= (Q(agency_id__in=agencies) | Q(current_agency_id__in=agencies)) & ~Q(
            status=Status.DRAFT
        )
    return Dossier.objects.filter(scope)


# The public status lookup (docs/api.md `GET /lookup`, the page the Mẫu 01 QR code opens): one
# rate limit for both, counted per client.
LOOKUP_SCOPE = "dossier_lookup"
LOOKUP_LIMIT = 10  # lookups per client per minute


def lookup(code: str, id_number: str) -> Dossier | None:
    """The dossier whose code and applicant's ID number (or tax code) both match, else None:
    a wrong code and a wrong number look the same, so the lookup never tells that a code
    exists."""
    code, id_number = (code or "").strip(), (id_number or "").strip()
    if not code or not id_number:
        return None
    return (
        Dossier.objects.select_related("procedure")
        .filter(code=code, applicant_id_number=id_number)
        .exclude(status=Status.DRAFT)
        .first()
    )


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


NOTHING = Q(pk__in=[])


def running() -> Q:
    """Dossiers whose clock runs: still open and not paused for a supplement."""
    return Q(status__in=OPEN, paused_at__isnull=True)


def running_late(now=None) -> Q:
    """Running dossiers past their due time (those `mark_deadlines` flags overdue)."""
    return running() & Q(due_at__lt=now or timezone.now())


def overdue_filter(now=None) -> Q:
    """Overdue: running late now, or flagged overdue (also once ended late)."""
    return running_late(now) | Q(timeliness=Timeliness.OVERDUE)


def officer_parts(user) -> list[Q]:
    """The dossiers of the officer's agencies as two disjoint parts, each read from its own
    indexes (an OR of the agency columns would visit every row of the agency for each page):
    those their agencies received, and those another agency received whose step one of theirs
    holds (`held_by`, liên thông). Drafts, unnumbered, are the applicant's alone."""
    agencies = list(officer_roles(user))
    not_draft = ~Q(status=Status.DRAFT)
    receiving = Q(agency_id__in=agencies) & not_draft
    holding = Q(held_by_id__in=agencies) & ~Q(agency_id__in=agencies) & not_draft
    return [receiving, holding]


def waiting_for(user, statuses) -> Q:
    """The dossiers in `statuses` waiting for the user ("at my step"): those whose awaited
    action (`workflow.AWAITED`) the user may do, by the workflow's own rule of who does it
    and at which agency — the holder of the current step's role at the step's agency, or a
    role held at the receiving agency for the counter's own actions."""
    from .services import workflow  # the workflow reads this module's roles

    roles = officer_roles(user)
    parts, by_role = [], {}
    for status in statuses:
        action = workflow.AWAITED[status]
        field = workflow.acting_agency_field(action)
        for who in workflow.TRANSITIONS[(status, action)].who:
            if who == workflow.STEP:
                parts += [
                    Q(status=status, **{field: agency}, current_step__role__in=held)
                    for agency, held in roles.items()
                ]
            elif agencies := [agency for agency, held in roles.items() if who in held]:
                by_role.setdefault((field, tuple(agencies)), []).append(status)
    parts += [
        Q(status__in=grouped, **{f"{field}__in": list(agencies)})
        for (field, agencies), grouped in by_role.items()
    ]
    return reduce(or_, parts) if parts else NOTHING


def _parts(user) -> tuple[list[Q], Q]:
    """The caller's visible dossiers as parts each served by one index in submission order
    (an OR of them would sort every visible row for each page): the officer's agencies'
    dossiers (`officer_parts`) and the caller's own. Returns the parts and the overlap of
    the own part with the others (counted once)."""
    mine = own(user)
    if not officer_roles(user):
        return [mine], NOTHING
    receiving, holding = officer_parts(user)
    return [receiving, holding, mine], mine & (receiving | holding)


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
    # The agencies' received dossiers, the bulk of an officer's, are counted from the kept
    # totals when no filter needs the rows themselves.
    counted = None if procedure or overdue is not None else list(officer_roles(user))
    total, keys = 0, {}
    for part in parts:
        chosen = rows.filter(part)
        if counted and part is parts[0]:
            count = tallies.received_total(counted, status)
        else:
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


# ------------------------------------------------------------------------------ indicators


def received_in(agencies, start, end) -> QuerySet[Dossier]:
    """Dossiers the agencies received in [start, end): by the receiving agency and the
    instant of receipt (online submission or counter reception, as the dossier code dates
    it). `agencies`: an agency, its id, or several (an agency and its sub-agencies)."""
    if isinstance(agencies, int) or hasattr(agencies, "pk"):
        agencies = [agencies]
    ids = [getattr(a, "pk", a) for a in agencies]
    return Dossier.objects.filter(
        agency_id__in=ids, submitted_at__gte=start, submitted_at__lt=end
    ).exclude(status=Status.DRAFT)


def used_population_data(agencies, start, end) -> QuerySet[Dossier]:
    """Indicator 5.6's numerator (its denominator is `received_in`): dossiers received whose
    applicant data came from the population registry (answers pre-filled from it and kept),
    or whose applicant's identity was verified at submission (dossiers/identity.py)."""
    used = Q(from_registry=True) | ~Q(identity_check=IdentityCheck.NONE)
    return received_in(agencies, start, end).filter(used)
