"""Gap-free number series: the next number, written with its prefix, never cut to the width."""

import pytest

from motcua.core.sequences import next_number, write_next_number
from motcua.dossiers.models import Dossier, DossierCodeSequence
from tests.dossiers.factories import local, submit, world

pytestmark = pytest.mark.django_db


def test_numbers_follow_each_other_per_series():
    w = world()
    day, other_day = local(2026, 11, 16).date(), local(2026, 11, 17).date()
    assert [next_number(DossierCodeSequence, agency=w.home.pk, day=day) for _ in range(3)] == [
        1,
        2,
        3,
    ]
    assert next_number(DossierCodeSequence, agency=w.home.pk, day=other_day) == 1
    assert next_number(DossierCodeSequence, agency=w.partner.pk, day=day) == 1


def test_the_written_number_keeps_every_digit_past_the_width():
    w = world()
    dossier = submit(w, local(2026, 11, 16, 9))
    day = local(2026, 11, 16).date()
    DossierCodeSequence.objects.filter(agency=w.home, day=day).update(last=9999)

    def write():
        return write_next_number(
            DossierCodeSequence,
            {"agency": w.home.pk, "day": day},
            into=Dossier,
            pk=dossier.pk,
            field="code",
            prefix="X-",
            width=4,
        )

    assert write() == "X-10000"
    DossierCodeSequence.objects.filter(agency=w.home, day=day).update(last=6)
    assert write() == "X-0007"
    assert Dossier.objects.get(pk=dossier.pk).code == "X-0007"
