"""The kept inbox totals (dossiers per agency and status) always equal a recount of the rows,
whatever changed them, and the inbox totals read them."""

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.core.services import issue_api_token
from motcua.dossiers import services, tallies
from motcua.dossiers.models import Dossier, DossierCount, Status

from .factories import at_once, counter, local, on_postgresql_only, submit, world

AT = local(2026, 11, 16, 9)


def assert_counts_match():
    assert tallies.kept() == tallies.recount()


def api_total(user, query="") -> int:
    token, _ = issue_api_token(user)
    response = Client().get(
        f"/api/v1/dossiers?{query}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.content
    return response.json()["total"]


@pytest.mark.django_db
def test_every_kind_of_change_keeps_the_counts_equal_to_the_rows():
    w = world()
    online = [submit(w, AT) for _ in range(3)]
    at_counter = counter(w, AT)
    draft = services.submit_online(
        applicant_user=w.citizen,
        procedure=w.procedure.code,
        agency=w.home.code,
        form={},
        draft=True,
        now=AT,
    )
    assert_counts_match()
    services.perform(online[0], "receive", w.reception, now=AT)
    services.perform(online[1], "refuse", w.reception, reason="Sai thẩm quyền", now=AT)
    services.perform(online[2], "withdraw", w.citizen, now=AT)
    services.perform(at_counter, "request_supplement", w.reception, missing=["Bản sao"], now=AT)
    assert_counts_match()
    # Writes outside the services count too: a bulk update, a deleted draft.
    Dossier.objects.filter(pk=online[0].pk).update(status=Status.STOPPED)
    draft.delete()
    assert_counts_match()
    kept = tallies.kept()
    assert kept[(w.home.pk, Status.REFUSED)] == 1
    assert (w.home.pk, Status.DRAFT) not in kept


@pytest.mark.django_db
def test_the_inbox_totals_follow_the_transitions():
    w = world()
    first, second = submit(w, AT), submit(w, AT)
    submit(w, AT, applicant=w.other_citizen)
    assert api_total(w.reception) == 3
    assert api_total(w.reception, "status=submitted") == 3
    services.perform(first, "receive", w.reception, now=AT)
    services.perform(second, "refuse", w.reception, reason="Thiếu thẩm quyền", now=AT)
    assert api_total(w.reception) == 3
    assert api_total(w.reception, "status=submitted") == 1
    assert api_total(w.reception, "status=processing") == 1
    assert api_total(w.reception, "status=draft") == 0
    assert api_total(w.citizen) == 2  # the applicant's own: counted from the rows


@pytest.mark.django_db
def test_rebuild_recounts_after_the_counts_were_damaged(capsys):
    w = world()
    submit(w, AT)
    submit(w, AT)
    assert_counts_match()
    DossierCount.objects.filter(agency=w.home, status=Status.SUBMITTED).update(count=7)
    DossierCount.objects.create(agency=w.partner, status=Status.RETURNED, count=3)
    call_command("rebuild_dossier_counts")
    assert_counts_match()
    assert tallies.kept() == {(w.home.pk, Status.SUBMITTED): 2}
    assert "2 dòng" in capsys.readouterr().out


N = 24


@pytest.mark.django_db(transaction=True)
@on_postgresql_only
def test_concurrent_submissions_and_transitions_keep_the_counts_exact():
    w = world()
    waiting = [submit(w, AT) for _ in range(N)]
    received = [counter(w, AT) for _ in range(N // 2)]
    actions = [lambda: submit(w, AT) for _ in range(N)]
    # Statuses crossed both ways at once: submitted -> processing, processing -> supplement,
    # submitted -> refused.
    actions += [
        (lambda d=d: services.perform(d, "receive", w.reception, now=AT))
        if i % 2
        else (lambda d=d: services.perform(d, "refuse", w.reception, reason="Sai", now=AT))
        for i, d in enumerate(waiting)
    ]
    actions += [
        lambda d=d: services.perform(
            d, "request_supplement", w.reception, missing=["Tờ khai"], now=AT
        )
        for d in received
    ]
    assert at_once(actions) == []
    assert_counts_match()
    kept = tallies.kept()
    assert kept[(w.home.pk, Status.SUBMITTED)] == N
    assert kept[(w.home.pk, Status.PROCESSING)] == N // 2
    assert kept[(w.home.pk, Status.AWAITING_SUPPLEMENT)] == N // 2
    assert kept[(w.home.pk, Status.REFUSED)] == N // 2
