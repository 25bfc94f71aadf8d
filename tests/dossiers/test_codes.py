"""Dossier codes stay unique and gap-free when many submissions arrive at once."""

import pytest

from motcua.dossiers.models import Dossier

from .factories import at_once, local, on_postgresql_only, submit, world

N = 50


@pytest.mark.django_db(transaction=True)
@on_postgresql_only
def test_concurrent_submissions_get_distinct_gap_free_codes():
    w = world()
    at = local(2026, 11, 16, 9)
    assert at_once([lambda: submit(w, at) for _ in range(N)]) == []
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"{w.home.code}-261116-{n:04d}" for n in range(1, N + 1)]
