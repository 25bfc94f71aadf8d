import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.dossiers import services
from motcua.dossiers.models import ChainAnchor, Dossier, Event
from motcua.dossiers.services import GENESIS, perform

from .factories import local, submit

pytestmark = pytest.mark.django_db

MON = local(2026, 11, 16, 9)


def test_events_are_chained_per_dossier(w):
    a = submit(w, MON)
    b = submit(w, MON.replace(hour=10))
    perform(a.code, "receive", w.reception, now=MON.replace(hour=11))
    first, second = Event.objects.filter(dossier=a).order_by("seq")
    assert (first.seq, first.prev_hash) == (1, GENESIS)
    assert second.prev_hash == first.hash
    # Each dossier has its own chain: dossiers never wait on each other.
    assert Event.objects.get(dossier=b).prev_hash == GENESIS


def test_events_cannot_be_changed_through_the_orm(w):
    event = Event.objects.get(dossier=submit(w, MON))
    event.note = "sửa"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(TypeError):
        Event.objects.all().delete()


def test_verify_events_names_the_first_broken_link(w):
    d = submit(w, MON)
    perform(d.code, "receive", w.reception, now=MON.replace(hour=10))
    perform(d.code, "forward", w.reception, now=MON.replace(hour=11))
    out = io.StringIO()
    call_command("verify_events", stdout=out)
    assert "toàn vẹn" in out.getvalue()
    second = Event.objects.get(dossier=d, seq=2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Event._meta.db_table} SET note = %s WHERE id = %s", ["đã sửa", second.pk]
        )
    with pytest.raises(CommandError) as caught:
        call_command("verify_events", stdout=out)
    assert f"sự kiện số 2 (id {second.pk})" in str(caught.value)
    assert f"hồ sơ #{d.pk}" in str(caught.value)


def test_verify_events_sees_a_removed_event(w):
    d = submit(w, MON)
    perform(d.code, "receive", w.reception, now=MON.replace(hour=10))
    perform(d.code, "forward", w.reception, now=MON.replace(hour=11))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Event._meta.db_table} WHERE dossier_id = %s AND seq = 2", [d.pk]
        )
    with pytest.raises(CommandError) as caught:
        call_command("verify_events")
    assert "thiếu sự kiện số 2" in str(caught.value)


def _delete_events(dossier, *seqs):
    with connection.cursor() as cursor:
        for seq in seqs:
            cursor.execute(
                f"DELETE FROM {Event._meta.db_table} WHERE dossier_id = %s AND seq = %s",
                [dossier.pk, seq],
            )


def _verify_fails() -> str:
    with pytest.raises(CommandError) as caught:
        call_command("verify_events", stdout=io.StringIO())
    return str(caught.value)


def test_the_dossier_row_carries_the_head_of_its_history(w):
    d = submit(w, MON)
    perform(d.code, "receive", w.reception, now=MON.replace(hour=10))
    d.refresh_from_db()
    last = Event.objects.filter(dossier=d).order_by("seq").last()
    assert (d.event_count, d.last_event_hash) == (2, last.hash)


def test_verify_events_sees_a_deleted_last_event(w):
    d = submit(w, MON)
    perform(d.code, "receive", w.reception, now=MON.replace(hour=10))
    perform(d.code, "forward", w.reception, now=MON.replace(hour=11))
    _delete_events(d, 3)
    assert f"hồ sơ #{d.pk}: thiếu sự kiện số 3 ở cuối nhật ký (hồ sơ ghi 3)" in _verify_fails()


def test_verify_events_sees_a_dossier_whose_only_event_is_gone(w):
    submit(w, MON)
    d = submit(w, MON.replace(hour=10))
    _delete_events(d, 1)
    problem = _verify_fails()
    assert f"hồ sơ #{d.pk}: thiếu sự kiện số 1 ở cuối nhật ký" in problem


def test_a_dossier_without_any_history_is_named(w):
    d = submit(w, MON)
    _delete_events(d, 1)
    Dossier.objects.filter(pk=d.pk).update(event_count=0, last_event_hash="")
    assert f"hồ sơ #{d.pk}: không có nhật ký xử lý" in _verify_fails()


def test_an_event_after_a_deleted_tail_does_not_hide_it(w):
    d = submit(w, MON)
    perform(d.code, "receive", w.reception, now=MON.replace(hour=10))
    _delete_events(d, 2)
    perform(d.code, "forward", w.reception, now=MON.replace(hour=11))
    assert "thiếu sự kiện số 2" in _verify_fails()


def _rewrite_history(dossier):
    """What a thorough forger does: change an event and recompute every hash after it, and
    the row's head, so that the chain checks out again."""
    prev = GENESIS
    with connection.cursor() as cursor:
        for event in Event.objects.filter(dossier=dossier).order_by("seq"):
            if event.seq == 1:
                event.note = "đã sửa"
            event.prev_hash = prev
            event.hash = event.compute_hash()
            cursor.execute(
                f"UPDATE {Event._meta.db_table} SET note = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s",
                [event.note, event.prev_hash, event.hash, event.pk],
            )
            prev = event.hash
    Dossier.objects.filter(pk=dossier.pk).update(last_event_hash=prev)


def test_a_daily_anchor_is_taken_once_and_printed(w):
    d = submit(w, MON)
    perform(d.code, "receive", w.reception, now=MON.replace(hour=10))
    out = io.StringIO()
    call_command("anchor_events", "--day", "2026-11-16", stdout=out)
    anchor = ChainAnchor.objects.get()
    assert (anchor.dossiers, anchor.events) == (1, 2)
    assert anchor.digest in out.getvalue() and "16/11/2026" in out.getvalue()
    # Events of a later day do not enter that day's anchor; a second run keeps the first.
    perform(d.code, "forward", w.reception, now=MON + timedelta(days=1))
    call_command("anchor_events", "--day", "2026-11-16", stdout=io.StringIO())
    assert ChainAnchor.objects.get().digest == anchor.digest
    out = io.StringIO()
    call_command("verify_events", stdout=out)
    assert "1 mốc neo hằng ngày khớp" in out.getvalue()


def test_a_rewritten_history_checks_out_alone_but_not_against_its_anchor(w):
    d = submit(w, MON)
    perform(d.code, "receive", w.reception, now=MON.replace(hour=10))
    call_command("anchor_events", "--day", "2026-11-16", stdout=io.StringIO())
    _rewrite_history(d)
    assert services.verify_chain(d.pk) == (True, "")
    assert "mốc neo ngày 16/11/2026 không khớp" in _verify_fails()


def test_anchor_events_refuses_a_bad_day():
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("anchor_events", "--day", "16/11/2026")
