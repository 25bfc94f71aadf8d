import pytest

from motcua.dossiers.queries import inbox_page
from motcua.dossiers.services import perform

from .factories import local, submit

pytestmark = pytest.mark.django_db

MON = local(2026, 11, 16, 8)


def codes(rows):
    return [d.code for d in rows]


def test_inbox_parts_are_merged_newest_first_and_counted_once(w):
    w.reception.id_number = "001090099999"
    w.reception.save()
    first = submit(w, MON)
    own = submit(w, MON.replace(hour=9), applicant=w.reception)  # an officer's own dossier
    moved = submit(w, MON.replace(hour=10))
    for action, actor in (
        ("receive", w.reception),
        ("forward", w.reception),
        ("transfer", w.specialist),
    ):
        perform(moved.code, action, actor, now=MON.replace(hour=11))
    rows, total = inbox_page(w.reception, size=2)
    assert total == 3
    assert codes(rows) == [moved.code, own.code]
    rows, total = inbox_page(w.reception, page=2, size=2)
    assert (codes(rows), total) == ([first.code], 3)
    # The partner sees only what its step holds; the citizen only their own.
    assert codes(inbox_page(w.partner_specialist)[0]) == [moved.code]
    assert inbox_page(w.citizen)[1] == 2
    assert inbox_page(w.reception, status="processing")[1] == 1


def test_waiting_for_holds_what_the_workflow_lets_the_officer_do_next(w):
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.queries import waiting_for
    from motcua.dossiers.services import role_for
    from motcua.dossiers.services.workflow import AWAITED

    def waiting(officer) -> set[str]:
        scope = waiting_for(officer, list(AWAITED))
        return set(Dossier.objects.filter(scope).values_list("code", flat=True))

    submitted = submit(w, MON)
    at_reception = submit(w, MON.replace(hour=9))
    perform(at_reception.code, "receive", w.reception, now=MON.replace(hour=9))
    at_partner = submit(w, MON.replace(hour=10))
    for action, actor in (
        ("receive", w.reception),
        ("forward", w.reception),
        ("transfer", w.specialist),
    ):
        perform(at_partner.code, action, actor, now=MON.replace(hour=11))
    for officer in (w.reception, w.specialist, w.leader, w.partner_specialist, w.outsider):
        expected = {
            d.code
            for d in Dossier.objects.select_related("current_step")
            if role_for(d, AWAITED[d.status], officer) is not None
        }
        assert waiting(officer) == expected, officer.full_name
    assert waiting(w.reception) == {submitted.code, at_reception.code}
    assert waiting(w.partner_specialist) == {at_partner.code}
