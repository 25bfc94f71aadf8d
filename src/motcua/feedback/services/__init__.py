"""Use cases of citizens' feedback: satisfaction ratings (`ratings`), and feedback and
complaints (phản ánh, kiến nghị): submission, the workflow's one door `perform`, deadlines."""

from .actions import perform
from .deadlines import mark_deadlines
from .ratings import (
    CHANGE_WINDOW,
    COMMENT_MAX,
    RATEABLE,
    can_change,
    can_rate,
    rate_dossier,
    rating_of,
)
from .submission import send_contact_code, submit_feedback

__all__ = [
    "CHANGE_WINDOW",
    "COMMENT_MAX",
    "RATEABLE",
    "can_change",
    "can_rate",
    "mark_deadlines",
    "perform",
    "rate_dossier",
    "rating_of",
    "send_contact_code",
    "submit_feedback",
]
