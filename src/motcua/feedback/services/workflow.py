"""The feedback state machine (docs/domain.md, "Feedback and complaints"), whole: for each
status and action, who may act, what must hold for the action to happen now, and the status
it leads to. `perform` (actions.py) only asks this module; handlers change the feedback's
data, never its status. Anything missing from `TRANSITIONS` is 409 action_not_allowed.

Built like the dossiers' table (`dossiers/services/workflow.py`): the same `Rule` shape of
status, roles and guards, the same officer roles of the agency holding the item.
"""

from datetime import datetime

from django.utils import timezone

from motcua.catalog.models import OfficerRole
from motcua.core.errors import ActionNotAllowed
from motcua.dossiers.queries import officer_roles
from motcua.dossiers.services.workflow import Guard, Rule
from motcua.workdays.deadlines import compute_due_at

from ..models import Category, Feedback
from ..models import FeedbackStatus as S

SUBMITTER = "submitter"
RECEPTION = OfficerRole.Role.RECEPTION.value
SPECIALIST = OfficerRole.Role.SPECIALIST.value
HEAD = OfficerRole.Role.HEAD.value
LEADER = OfficerRole.Role.LEADER.value
OFFICERS = (RECEPTION, SPECIALIST, HEAD, LEADER)

# Working days (docs/domain.md): the submitter may reopen an answer once within these.
REOPEN_WITHIN_DAYS = 15
# An answer in these categories must come with evidence (photos, documents).
EVIDENCE_REQUIRED = frozenset({Category.SERVICE, Category.PLACE})


# The dossiers' `Rule`: `who` names officer roles of the feedback's agency or SUBMITTER.
FeedbackRule = Rule


# ---------------------------------------------------------------------------------- guards


def is_public(fb: Feedback, action: str, now: datetime, args) -> ActionNotAllowed | None:
    if not fb.is_public:
        return ActionNotAllowed("Người gửi không đồng ý công khai phản ánh này.")
    return None


def reopen_window_end(fb: Feedback) -> datetime | None:
    if fb.answered_at is None:
        return None
    return compute_due_at(
        fb.answered_at, REOPEN_WITHIN_DAYS, "working_days", fb.agency.office_hours
    )


def may_reopen(fb: Feedback, action: str, now: datetime, args) -> ActionNotAllowed | None:
    if fb.reopen_count >= 1:
        return ActionNotAllowed("Phản ánh chỉ được mở lại một lần.")
    end = reopen_window_end(fb)
    if end is None or now > end:
        return ActionNotAllowed(
            f"Chỉ được mở lại trong {REOPEN_WITHIN_DAYS} ngày làm việc kể từ khi có trả lời."
        )
    return None


# ------------------------------------------------------------------------------- the table

_DECIDE = (RECEPTION, HEAD, LEADER)
_HANDLE = (SPECIALIST, HEAD, LEADER)
_PUBLISH = (HEAD, LEADER)
_REOPEN = FeedbackRule(S.PROCESSING, (SUBMITTER,), guards=(may_reopen,))


def _waiting(status: str) -> dict:
    """What an officer may do with feedback waiting for its agency's decision."""
    return {
        (status, "accept"): FeedbackRule(S.PROCESSING, _DECIDE),
        (status, "refuse"): FeedbackRule(S.REFUSED, _DECIDE),
        (status, "transfer"): FeedbackRule(S.TRANSFERRED, _DECIDE),
    }


TRANSITIONS: dict[tuple[str, str], FeedbackRule] = {
    **_waiting(S.RECEIVED),
    **_waiting(S.TRANSFERRED),
    (S.PROCESSING, "ask_info"): FeedbackRule(S.AWAITING_INFO, _HANDLE),
    (S.PROCESSING, "answer"): FeedbackRule(S.ANSWERED, _HANDLE),
    (S.PROCESSING, "transfer"): FeedbackRule(S.TRANSFERRED, _DECIDE),
    (S.AWAITING_INFO, "supply_info"): FeedbackRule(S.PROCESSING, (SUBMITTER,)),
    (S.ANSWERED, "publish"): FeedbackRule(S.PUBLISHED, _PUBLISH, guards=(is_public,)),
    (S.ANSWERED, "react"): FeedbackRule(S.ANSWERED, (SUBMITTER,)),
    (S.ANSWERED, "reopen"): _REOPEN,
    (S.PUBLISHED, "react"): FeedbackRule(S.PUBLISHED, (SUBMITTER,)),
    (S.PUBLISHED, "reopen"): _REOPEN,
}
ACTIONS = tuple(sorted({action for _, action in TRANSITIONS}))
OFFICER_ACTIONS = ("accept", "ask_info", "answer", "publish", "refuse", "transfer")
SUBMITTER_ACTIONS = ("supply_info", "react", "reopen")
# The action each status waits for from the agency (the back-office inbox tabs).
AWAITED = {S.RECEIVED: "accept", S.TRANSFERRED: "accept", S.PROCESSING: "answer"}
OPEN = frozenset({S.RECEIVED, S.TRANSFERRED, S.PROCESSING, S.AWAITING_INFO, S.ANSWERED})


# ------------------------------------------------------------------------------ who may act


def is_submitter(user, fb: Feedback, access_key_ok: bool = False) -> bool:
    """The signed-in submitter, or whoever holds the secret link of anonymous feedback."""
    if access_key_ok:
        return True
    return bool(
        user is not None
        and user.is_authenticated
        and fb.submitter_id is not None
        and fb.submitter_id == user.pk
    )


def agency_roles(user, fb: Feedback) -> frozenset[str]:
    return officer_roles(user).get(fb.agency_id, frozenset())


def role_for(fb: Feedback, action: str, actor, *, submitter: bool = False) -> str | None:
    """The role in which `actor` may do `action` on `fb` now, or None. `submitter`: the
    caller proved to be its submitter otherwise (the anonymous submitter's secret link)."""
    rule = TRANSITIONS.get((fb.status, action))
    if rule is None:
        return None
    held = agency_roles(actor, fb)
    for who in rule.who:
        if who == SUBMITTER and is_submitter(actor, fb, submitter):
            return SUBMITTER
        if who in held:
            return who
    return None


def refusal(fb: Feedback, action: str, now: datetime, args: dict | None = None):
    rule = TRANSITIONS.get((fb.status, action))
    guards: tuple[Guard, ...] = rule.guards if rule else ()
    for guard in guards:
        refused = guard(fb, action, now, args)
        if refused is not None:
            return refused
    return None


def allowed_actions(fb: Feedback, actor, *, submitter=False, now=None) -> list[str]:
    now = now or timezone.now()
    return [
        action
        for (status, action) in TRANSITIONS
        if status == fb.status
        and role_for(fb, action, actor, submitter=submitter)
        and refusal(fb, action, now) is None
    ]
