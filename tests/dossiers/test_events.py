import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.dossiers.models import Event
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
