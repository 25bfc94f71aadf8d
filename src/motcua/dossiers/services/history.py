"""A dossier's history: append-only `Event` rows, each carrying the hash of the one before
so that tampering shows; `verify_chain` finds the first break."""

import json
from datetime import datetime

from ..hooks import event_appended
from ..models import Dossier, Event, canonical_json

GENESIS = "0" * 64


def _actor_name(actor) -> str:
    if actor is None:
        return ""
    return (getattr(actor, "full_name", "") or actor.get_username())[:200]


def append_event(
    dossier: Dossier,
    *,
    at: datetime,
    actor,
    role: str,
    action: str,
    from_status: str,
    from_step_id: int | None,
    note: str = "",
    payload: dict | None = None,
    documents: list[str] | None = None,
    first: bool = False,
) -> Event:
    """Append to the dossier's chain. The caller holds the dossier's row lock (or has just
    created it), so the previous event cannot change under us."""
    # `first`: the dossier was created in this transaction, so its chain is empty.
    last = (
        None
        if first
        else Event.objects.filter(dossier=dossier)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event = Event(
        dossier=dossier,
        seq=seq,
        at=at,
        actor=actor,
        actor_name=_actor_name(actor),
        actor_role=role,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        from_step_id=from_step_id,
        to_step_id=dossier.current_step_id,
        note=note or "",
        payload=_json_safe(payload or {}),
        documents=list(documents or []),
        prev_hash=prev_hash,
    )
    event.hash = event.compute_hash()
    event.save()
    event_appended.send(sender=Event, event=event)
    return event


def _json_safe(value):
    """What the JSON column gives back, so that the hash computed now matches a re-read."""
    return json.loads(canonical_json(value))


def verify_chain(dossier_id: int) -> tuple[bool, str]:
    """Check one dossier's chain: (True, "") or (False, a description of the first break)."""
    prev_hash = GENESIS
    expected_seq = 1
    for event in Event.objects.filter(dossier_id=dossier_id).order_by("seq").iterator():
        where = f"hồ sơ #{dossier_id}, sự kiện số {event.seq} (id {event.pk})"
        if event.seq != expected_seq:
            return False, f"{where}: thiếu sự kiện số {expected_seq}"
        if event.prev_hash != prev_hash:
            return False, f"{where}: prev_hash không khớp với sự kiện trước"
        if event.compute_hash() != event.hash:
            return False, f"{where}: nội dung đã bị sửa (hash không khớp)"
        prev_hash = event.hash
        expected_seq += 1
    return True, ""
