"""Dossier codes stay unique and gap-free when many submissions arrive at once."""

import threading

import pytest
from django.db import connection, connections

from motcua.dossiers.models import Dossier

from .factories import local, submit, world

N = 50


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrent connections need PostgreSQL; SQLite serialises writers (IMMEDIATE).",
)
def test_concurrent_submissions_get_distinct_gap_free_codes():
    w = world()
    at = local(2026, 11, 16, 9)
    barrier = threading.Barrier(N)
    errors = []

    def one():
        try:
            barrier.wait()
            submit(w, at)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"{w.home.code}-261116-{n:04d}" for n in range(1, N + 1)]
