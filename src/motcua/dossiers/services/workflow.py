"""The dossier state machine (docs/domain.md, "Dossier life cycle"), whole: for each status and
action, who may act, what must hold for the action to happen now, and every status it can
lead to. `perform` (actions.py) only asks this module; handlers change the dossier's data,
never its status.

Anything missing from `TRANSITIONS` is refused with 409 action_not_allowed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from motcua.catalog.models import OfficerRole, Step
from motcua.core.errors import ActionNotAllowed

from .. import assisted
from ..hooks import dossier_fees
from ..models import OPEN, Dossier, Status
from ..queries import is_applicant, is_helper, officer_roles

APPLICANT = "applicant"
HELPER = "helper"  # who submitted for the applicant (assisted submission)
# What the helper of an assisted submission may do for the applicant: submit the draft and
# answer a supplement request; withdrawing stays the applicant's own decision.
HELPER_ACTIONS = frozenset({"submit", "supplement"})
RECEPTION = OfficerRole.Role.RECEPTION.value
SPECIALIST = OfficerRole.Role.SPECIALIST.value
HEAD = OfficerRole.Role.HEAD.value
LEADER = OfficerRole.Role.LEADER.value
STEP = "step"  # whoever holds the role of the dossier's current step, at that step's agency

# A guard: why an action the table allows cannot happen now (None: it can). Called with the
# dossier, the action, the moment and the action's arguments (None when only asking).
Guard = Callable[[Dossier, str, datetime, dict | None], ActionNotAllowed | None]
# A condition on the dossier once the action changed it, and the event payload it wrote.
Condition = Callable[[Dossier, dict], bool]


@dataclass(frozen=True)
class Rule:
    to_status: str
    who: tuple[str, ...]
    guards: tuple[Guard, ...] = ()
    # Other outcomes, the first whose condition holds after the action instead of `to_status`.
    unless: tuple[tuple[Condition, str], ...] = ()

    def outcome(self, dossier: Dossier, payload: dict) -> str:
        for condition, status in self.unless:
            if condition(dossier, payload):
                return status
        return self.to_status


# ---------------------------------------------------------------------------------- guards


def before_due(dossier: Dossier, action: str, now: datetime, args) -> ActionNotAllowed | None:
    """An apology letter (Mẫu 04) is issued before the appointment it moves."""
    if now >= (dossier.extended_due_at or dossier.due_at):
        return ActionNotAllowed("Văn bản xin lỗi phải được ban hành trước thời hạn trả kết quả.")
    return None


_NO_STEP = {
    "forward": "Hồ sơ đang ở bước cuối của quy trình tại cơ quan.",
    "send_back": "Hồ sơ đang ở bước đầu của quy trình tại cơ quan.",
    "transfer": "Quy trình không có bước liên thông với cơ quan khác.",
}


def has_step(dossier: Dossier, action: str, now: datetime, args) -> ActionNotAllowed | None:
    """A move needs a step of the process to move to (`candidate_steps`)."""
    if not candidate_steps(dossier, action):
        return ActionNotAllowed(_NO_STEP[action])
    return None


def with_payment(dossier: Dossier, action: str, now: datetime, args) -> ActionNotAllowed | None:
    """Outside a request for payment, money is recorded with the payment and its receipt."""
    if not (args or {}).get("payment"):
        return ActionNotAllowed(
            "Chỉ ghi nhận thanh toán kèm khoản thu và biên lai (mục Phí, lệ phí).",
            code="payment_required",
        )
    return None


def nothing_owed(dossier: Dossier, action: str, now: datetime, args) -> ActionNotAllowed | None:
    """The result is returned once the fees are paid in full."""
    owed = dossier_fees().owed(dossier).total
    if owed > 0:
        return ActionNotAllowed(
            f"Hồ sơ còn nợ {owed:,} đồng phí, lệ phí: chỉ trả kết quả sau khi đã nộp đủ.".replace(
                ",", "."
            ),
            code="payment_due",
        )
    return None


# ------------------------------------------------------------------------------ conditions


def asked_for_payment(dossier: Dossier, payload: dict) -> bool:
    """Received while fees due at submission or before processing are unpaid: the reception
    wrote the amount owed, and the dossier waits for it before processing (the clock runs)."""
    return bool(payload.get("amount"))


def not_received(dossier: Dossier, payload: dict) -> bool:
    """Asked to supplement before reception: back to waiting for reception."""
    return dossier.current_step_id is None


# ------------------------------------------------------------------------------- the table

S = Status
_MOVE = Rule(S.PROCESSING, (STEP,), guards=(has_step,))
_PAID_ALONG = (with_payment,)
TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, "submit"): Rule(S.SUBMITTED, (APPLICANT,)),
    (S.SUBMITTED, "receive"): Rule(
        S.PROCESSING, (RECEPTION,), unless=((asked_for_payment, S.AWAITING_PAYMENT),)
    ),
    (S.SUBMITTED, "request_supplement"): Rule(S.AWAITING_SUPPLEMENT, (RECEPTION,)),
    (S.SUBMITTED, "refuse"): Rule(S.REFUSED, (RECEPTION, LEADER)),
    (S.SUBMITTED, "withdraw"): Rule(S.WITHDRAWN, (APPLICANT,)),
    # Paid at submission: kept in the history, the dossier still awaits reception.
    (S.SUBMITTED, "record_payment"): Rule(S.SUBMITTED, (RECEPTION,), guards=_PAID_ALONG),
    (S.PROCESSING, "request_supplement"): Rule(S.AWAITING_SUPPLEMENT, (RECEPTION, SPECIALIST)),
    (S.PROCESSING, "refuse"): Rule(S.REFUSED, (RECEPTION, LEADER)),
    (S.PROCESSING, "forward"): _MOVE,
    (S.PROCESSING, "send_back"): _MOVE,
    (S.PROCESSING, "transfer"): _MOVE,
    (S.PROCESSING, "request_payment"): Rule(S.AWAITING_PAYMENT, (RECEPTION, SPECIALIST)),
    (S.PROCESSING, "apologize"): Rule(S.PROCESSING, (SPECIALIST, HEAD, LEADER), (before_due,)),
    (S.PROCESSING, "stop"): Rule(S.STOPPED, (HEAD, LEADER)),
    (S.PROCESSING, "finish"): Rule(S.RESULT_READY, (LEADER,)),
    (S.PROCESSING, "withdraw"): Rule(S.WITHDRAWN, (APPLICANT,)),
    (S.PROCESSING, "record_payment"): Rule(S.PROCESSING, (RECEPTION,), guards=_PAID_ALONG),
    (S.AWAITING_SUPPLEMENT, "supplement"): Rule(
        S.PROCESSING, (APPLICANT, RECEPTION), unless=((not_received, S.SUBMITTED),)
    ),
    (S.AWAITING_SUPPLEMENT, "refuse"): Rule(S.REFUSED, (RECEPTION, LEADER)),
    (S.AWAITING_SUPPLEMENT, "stop"): Rule(S.STOPPED, (HEAD, LEADER)),
    (S.AWAITING_SUPPLEMENT, "withdraw"): Rule(S.WITHDRAWN, (APPLICANT,)),
    (S.AWAITING_PAYMENT, "record_payment"): Rule(S.PROCESSING, (RECEPTION,)),
    (S.AWAITING_PAYMENT, "apologize"): Rule(
        S.AWAITING_PAYMENT, (SPECIALIST, HEAD, LEADER), (before_due,)
    ),
    (S.AWAITING_PAYMENT, "stop"): Rule(S.STOPPED, (HEAD, LEADER)),
    (S.AWAITING_PAYMENT, "withdraw"): Rule(S.WITHDRAWN, (APPLICANT,)),
    (S.RESULT_READY, "record_payment"): Rule(S.RESULT_READY, (RECEPTION,), guards=_PAID_ALONG),
    (S.RESULT_READY, "return_result"): Rule(S.RETURNED, (RECEPTION,), (nothing_owed,)),
}
# The status a dossier is created in: a draft; submitted online, where `submit` leads; or
# received at the counter, where `receive` leads (the counter collects a fee due itself, so
# such a dossier does not wait for payment).
CREATED = {
    "draft": S.DRAFT,
    "submit": TRANSITIONS[(S.DRAFT, "submit")].to_status,
    "receive": TRANSITIONS[(S.SUBMITTED, "receive")].to_status,
}
ACTIONS = tuple(sorted({action for _, action in TRANSITIONS} | {"submit", "receive"}))
# Done by the receiving agency's counter even while another agency holds the dossier.
RECEIVING_AGENCY_ACTIONS = frozenset({"receive", "record_payment", "return_result"})
# From submission until the result is returned: when a dossier may owe money and be paid.
PAYABLE = OPEN | {S.RESULT_READY}
# The action each status waits for: whoever may do it has the dossier "at their step" (the
# back office's inbox, dossiers/queries.py `waiting_for`).
AWAITED = {
    S.SUBMITTED: "receive",
    S.PROCESSING: "forward",
    S.AWAITING_PAYMENT: "record_payment",
    S.RESULT_READY: "return_result",
}


# ------------------------------------------------------------------------------ who may act


def step_agency_id(dossier: Dossier, step: Step | None) -> int:
    """The agency of a step of the dossier's process (its receiving agency by default)."""
    return (step.agency_id if step and step.agency_id else None) or dossier.agency_id


def acting_agency_field(action: str) -> str:
    """The dossier's field naming the agency where the roles for `action` are held: the
    receiving agency's counter for its own actions, else the agency holding the dossier."""
    return "agency_id" if action in RECEIVING_AGENCY_ACTIONS else "current_agency_id"


def acting_agency_id(dossier: Dossier, action: str) -> int:
    """The agency where the roles for `action` are held now (`acting_agency_field`)."""
    if acting_agency_field(action) == "agency_id":
        return dossier.agency_id
    return dossier.acting_agency_id


def role_for(dossier: Dossier, action: str, actor) -> str | None:
    """The role in which `actor` may do `action` on `dossier` now, or None."""
    rule = TRANSITIONS.get((dossier.status, action))
    if rule is None or actor is None or not actor.is_authenticated:
        return None
    held = officer_roles(actor).get(acting_agency_id(dossier, action), frozenset())
    for who in rule.who:
        if who == APPLICANT and is_applicant(actor, dossier):
            return APPLICANT
        if (
            who == APPLICANT
            and action in HELPER_ACTIONS
            and is_helper(actor, dossier)
            # One who no longer may assist (left the team, lost the role) keeps sight of
            # what they submitted but acts on it no more.
            and assisted.can_assist(actor)
        ):
            return HELPER
        if who == STEP and dossier.current_step is not None:
            if dossier.current_step.role in held:
                return dossier.current_step.role
        elif who in held:
            return who
    return None


# Systems that act with no person behind them, and the only actions each may take: the
# payment gateway's signed callback confirms a payment the way the counter records cash.
SYSTEM_ACTIONS = {"payment_gateway": frozenset({"record_payment"})}


def system_role(dossier: Dossier, action: str, system: str) -> str | None:
    """The `system` itself as the role, when it may do `action` on `dossier` now, or None."""
    if action in SYSTEM_ACTIONS.get(system, ()) and (dossier.status, action) in TRANSITIONS:
        return system
    return None


def refusal(
    dossier: Dossier, action: str, now: datetime, args: dict | None = None
) -> ActionNotAllowed | None:
    """Why an action the table allows cannot happen now (None: it can)."""
    rule = TRANSITIONS.get((dossier.status, action))
    for guard in rule.guards if rule else ():
        refused = guard(dossier, action, now, args)
        if refused is not None:
            return refused
    return None


def allowed_actions(dossier: Dossier, actor, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    return [
        action
        for (status, action) in TRANSITIONS
        if status == dossier.status
        and role_for(dossier, action, actor)
        and refusal(dossier, action, now) is None
    ]


def may_be_paid(dossier: Dossier) -> bool:
    """Whether the dossier may owe money and be paid now."""
    return dossier.status in PAYABLE


def records_payment(dossier: Dossier) -> bool:
    """Whether a payment made now is recorded in the dossier's history (`record_payment`),
    which moves a dossier waiting for payment back to processing."""
    return (dossier.status, "record_payment") in TRANSITIONS


# ---------------------------------------------------------------------- where it may move


def _steps(d: Dossier) -> list[Step]:
    cached = getattr(d, "_steps", None)
    if cached is None:
        cached = list(d.procedure.steps.select_related("agency").order_by("order", "id"))
        d._steps = cached
    return cached


def candidate_steps(d: Dossier, action: str) -> list[Step]:
    """Where an action may take the dossier, the default first.

    forward: the next step, when it is at the agency holding the dossier (later steps of that
    agency may be named with `to_step`); send_back: earlier steps of that agency, nearest
    first; transfer (liên thông): steps of other agencies, later ones first.
    """
    steps = _steps(d)
    ids = [s.pk for s in steps]
    if d.current_step_id not in ids:
        return []
    here = ids.index(d.current_step_id)

    def same(step: Step) -> bool:
        return step_agency_id(d, step) == d.acting_agency_id

    if action == "forward":
        later = steps[here + 1 :]
        return [s for s in later if same(s)] if later and same(later[0]) else []
    if action == "send_back":
        return [s for s in reversed(steps[:here]) if same(s)]
    return [s for s in steps[here + 1 :] if not same(s)] + [s for s in steps[:here] if not same(s)]
