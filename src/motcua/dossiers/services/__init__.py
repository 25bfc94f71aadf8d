"""The dossier's one door (docs/domain.md, "Dossier life cycle"): every change of a dossier goes
through a function of this package.

- `submit_online` and `receive_at_counter` create dossiers (submission.py, checks.py);
- `perform(dossier, action, actor, **args)` does every other action (actions.py), allowed
  or refused by the one table `TRANSITIONS` (workflow.py: status x action -> who may do it,
  what must hold now, and the status it leads to);
- each change appends a hash-chained `Event` (history.py); `mark_deadlines` flags what runs
  late (deadlines.py).

Each call locks the dossier row, changes it and appends its event in one transaction; a
refused action raises `ActionNotAllowed` (409) and changes nothing. Every service takes an
explicit `now` so that history can be replayed (demo data, tests).
"""

from .actions import DELIVERIES, fees_due, perform
from .checks import (
    _Errors,
    clean_applicant,
    clean_helper,
    require_confirmed_account,
    validate_form,
)
from .deadlines import mark_deadlines
from .history import GENESIS, anchor_day, append_event, verify_anchors, verify_chain
from .submission import (
    MAX_REGISTRY_FIELDS,
    REGISTRY_CHECK_PURPOSE,
    clean_registry_fields,
    receive_at_counter,
    registry_kept,
    registry_resident,
    submit_online,
)
from .workflow import (
    ACTIONS,
    APPLICANT,
    HEAD,
    HELPER,
    HELPER_ACTIONS,
    LEADER,
    PAYABLE,
    RECEIVING_AGENCY_ACTIONS,
    RECEPTION,
    SPECIALIST,
    STEP,
    SYSTEM_ACTIONS,
    TRANSITIONS,
    Rule,
    allowed_actions,
    candidate_steps,
    may_be_paid,
    records_payment,
    role_for,
)

__all__ = [
    "ACTIONS",
    "APPLICANT",
    "DELIVERIES",
    "GENESIS",
    "HEAD",
    "HELPER",
    "HELPER_ACTIONS",
    "LEADER",
    "MAX_REGISTRY_FIELDS",
    "PAYABLE",
    "RECEIVING_AGENCY_ACTIONS",
    "RECEPTION",
    "REGISTRY_CHECK_PURPOSE",
    "SPECIALIST",
    "STEP",
    "SYSTEM_ACTIONS",
    "TRANSITIONS",
    "Rule",
    "_Errors",
    "allowed_actions",
    "anchor_day",
    "append_event",
    "candidate_steps",
    "clean_applicant",
    "clean_helper",
    "clean_registry_fields",
    "fees_due",
    "mark_deadlines",
    "may_be_paid",
    "perform",
    "receive_at_counter",
    "records_payment",
    "registry_kept",
    "registry_resident",
    "require_confirmed_account",
    "role_for",
    "submit_online",
    "validate_form",
    "verify_anchors",
    "verify_chain",
]
