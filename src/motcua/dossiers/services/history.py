"""A dossier's history: append-only `Event` rows, each carrying the hash of the one before
so that tampering shows; the dossier row carries the head (how many events, the last hash),
so that a deleted tail or a deleted chain shows too; `verify_chain` finds the first break.
A daily anchor (`anchor_day`) fingerprints every chain's head, for an operator to publish."""

import hashlib
import json
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ..hooks import event_appended
from ..models import ChainAnchor, Dossier, Event, Status, canonical_json

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
    write_head: bool = True,
) -> Event:
    """Append to the dossier's chain. The caller holds the dossier's row lock (or has just
    created it), so the previous event cannot change under us. The new head is set on
    `dossier`, and written to its row unless `write_head` is False: then the caller writes
    it in its own next statement on the row, in this transaction."""
    # The head on the row, not the last event found: an event deleted from the tail leaves a
    # gap that the next event does not paper over. `first`: created in this transaction.
    if first or not dossier.event_count:
        seq, prev_hash = 1, GENESIS
    else:
        seq, prev_hash = dossier.event_count + 1, dossier.last_event_hash
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
    dossier.event_count, dossier.last_event_hash = seq, event.hash
    if write_head:
        Dossier.objects.filter(pk=dossier.pk).update(event_count=seq, last_event_hash=event.hash)
    event_appended.send(sender=Event, event=event)
    return event


def _json_safe(value):
    """What the JSON column gives back, so that the hash computed now matches a re-read."""
    return json.loads(canonical_json(value))


def verify_chain(dossier_id: int) -> tuple[bool, str]:
    """Check one dossier's chain against itself and against the head its row records:
    (True, "") or (False, a description of the first break)."""
    status, count, last_hash = Dossier.objects.values_list(
        "status", "event_count", "last_event_hash"
    ).get(pk=dossier_id)
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
    found = expected_seq - 1
    if found < count:
        missing = (
            f"sự kiện số {found + 1}" if count == found + 1 else f"sự kiện số {found + 1}–{count}"
        )
        return False, f"hồ sơ #{dossier_id}: thiếu {missing} ở cuối nhật ký (hồ sơ ghi {count})"
    if found > count or (count and prev_hash != last_hash):
        return False, f"hồ sơ #{dossier_id}: sự kiện cuối không khớp với hồ sơ"
    if not found and status != Status.DRAFT:
        return False, f"hồ sơ #{dossier_id}: không có nhật ký xử lý"
    return True, ""


# ------------------------------------------------------------------------- daily anchors


def _digest(heads: dict[int, tuple[int, str]]) -> str:
    lines = "".join(f"{pk} {seq} {h}\n" for pk, (seq, h) in sorted(heads.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def _heads_up_to(last_event_id: int) -> dict[int, tuple[int, str]]:
    """Each dossier's (seq, hash) of its last event with id <= last_event_id."""
    heads: dict[int, tuple[int, str]] = {}
    rows = Event.objects.filter(pk__lte=last_event_id).order_by("pk")
    for dossier_id, seq, h in rows.values_list("dossier_id", "seq", "hash").iterator():
        heads[dossier_id] = (seq, h)
    return heads


def anchor_day(day: date | None = None) -> ChainAnchor:
    """The anchor of `day` (by default yesterday, local time): the digest of every chain's
    head at the day's last event. Taken once; a second call gives the one kept."""
    day = day or timezone.localdate() - timedelta(days=1)
    kept = ChainAnchor.objects.filter(day=day).first()
    if kept:
        return kept
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))
    last = Event.objects.filter(at__lt=end).order_by("-pk").values_list("pk", flat=True).first()
    heads = _heads_up_to(last or 0)
    return ChainAnchor.objects.create(
        day=day,
        last_event_id=last or 0,
        dossiers=len(heads),
        events=sum(seq for seq, _ in heads.values()),
        digest=_digest(heads),
        created_at=timezone.now(),
    )


def verify_anchors() -> tuple[int, str]:
    """Recompute every kept anchor in one pass over the events: (anchors checked, "") or
    (index of the first that differs, its description)."""
    anchors = list(ChainAnchor.objects.order_by("last_event_id", "day"))
    heads: dict[int, tuple[int, str]] = {}
    rows = Event.objects.order_by("pk").values_list("pk", "dossier_id", "seq", "hash").iterator()
    pending = next(rows, None)
    for checked, anchor in enumerate(anchors):
        while pending is not None and pending[0] <= anchor.last_event_id:
            heads[pending[1]] = (pending[2], pending[3])
            pending = next(rows, None)
        if _digest(heads) != anchor.digest:
            return (
                checked,
                f"mốc neo ngày {anchor.day:%d/%m/%Y} không khớp: nhật ký trước ngày đó đã bị viết lại",
            )
    return len(anchors), ""
