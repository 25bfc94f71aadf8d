"""A feedback's history: append-only `FeedbackEvent` rows, written by the caller holding the
feedback's row lock, and announced through `hooks.feedback_changed` in that transaction."""

from datetime import datetime

from ..hooks import feedback_changed
from ..models import Feedback, FeedbackEvent


def actor_name(actor) -> str:
    if actor is None:
        return ""
    return (getattr(actor, "full_name", "") or actor.get_username())[:200]


def append_event(
    fb: Feedback,
    *,
    at: datetime,
    actor,
    role: str,
    action: str,
    from_status: str,
    note: str = "",
    internal_note: str = "",
    payload: dict | None = None,
    first: bool = False,
) -> FeedbackEvent:
    last = None if first else fb.events.order_by("-seq").values_list("seq", flat=True).first()
    event = FeedbackEvent.objects.create(
        feedback=fb,
        seq=(last or 0) + 1,
        at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor_name(actor) if actor is not None and actor.is_authenticated else "",
        actor_role=role,
        action=action,
        from_status=from_status,
        to_status=fb.status,
        agency_id=fb.agency_id,
        note=note or "",
        internal_note=internal_note or "",
        payload=payload or {},
    )
    feedback_changed.send(sender=FeedbackEvent, event=event)
    return event
