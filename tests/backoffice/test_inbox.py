"""The inbox: each tab's contents and counts, filters, search, pagination, constant queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.dossiers import factories

INBOX = "/mot-cua/"


def codes(response) -> set[str]:
    return set(re.findall(r'class="bo-code">([^<]+)<', response.content.decode()))


def counts(response) -> dict[str, int]:
    html = response.content.decode()
    return {
        slug: int(count)
        for slug, count in re.findall(
            r'\?tab=([a-z-]+)"[^>]*>[^<]*<span class="bo-count">(\d+)', html
        )
    }


@pytest.fixture
def inbox(w):
    """One dossier in each situation, at the home agency."""
    now = timezone.now()
    online = factories.submit(w, now - timedelta(minutes=5))
    at_reception = factories.counter(w, now - timedelta(minutes=4))
    at_specialist = factories.counter(w, now - timedelta(minutes=3))
    services.perform(at_specialist, "forward", w.reception, now=now - timedelta(minutes=2))
    waiting = factories.counter(w, now - timedelta(minutes=3))
    services.perform(
        waiting,
        "request_supplement",
        w.reception,
        missing=["Bản sao sổ hộ khẩu"],
        now=now - timedelta(minutes=1),
    )
    # Received long ago: past its due time.
    late = factories.counter(w, factories.local(2026, 1, 5, 9))
    soon = factories.counter(w, now - timedelta(minutes=2))
    Dossier.objects.filter(pk=soon.pk).update(due_at=now + timedelta(hours=3), due_soon=True)
    return {
        "online": online.code,
        "at_reception": at_reception.code,
        "at_specialist": at_specialist.code,
        "waiting": waiting.code,
        "late": late.code,
        "soon": soon.code,
    }


def test_reception_tabs(as_user, w, inbox):
    client = as_user(w.reception)
    assert codes(client.get(INBOX + "?tab=tiep-nhan")) == {inbox["online"]}
    mine = codes(client.get(INBOX + "?tab=xu-ly"))
    assert mine == {inbox["at_reception"], inbox["late"], inbox["soon"]}
    assert codes(client.get(INBOX + "?tab=bo-sung")) == {inbox["waiting"]}
    assert codes(client.get(INBOX + "?tab=sap-het-han")) == {inbox["soon"]}
    assert codes(client.get(INBOX + "?tab=qua-han")) == {inbox["late"]}
    assert codes(client.get(INBOX + "?tab=tat-ca")) == set(inbox.values())


def test_counts_per_tab(as_user, w, inbox):
    response = as_user(w.reception).get(INBOX)
    assert counts(response) == {
        "tiep-nhan": 1,
        "xu-ly": 3,
        "bo-sung": 1,
        "sap-het-han": 1,
        "qua-han": 1,
        "tat-ca": 6,
    }


def test_the_specialist_sees_the_step_they_hold_and_no_reception_tab(as_user, w, inbox):
    client = as_user(w.specialist)
    response = client.get(INBOX)
    assert "tiep-nhan" not in counts(response)
    assert codes(response) == {inbox["at_specialist"]}
    # An unknown tab falls back to the default one.
    assert codes(client.get(INBOX + "?tab=tiep-nhan")) == {inbox["at_specialist"]}


def test_the_receiving_counter_also_owes_the_result(as_user, w):
    now = timezone.now()
    d = factories.counter(w, now - timedelta(minutes=10))
    Dossier.objects.filter(pk=d.pk).update(status="result_ready", current_step=None)
    assert d.code in codes(as_user(w.reception).get(INBOX + "?tab=xu-ly"))


def test_search_by_code_name_and_id_number(as_user, w, inbox):
    client = as_user(w.reception)
    assert codes(client.get(INBOX, {"tab": "tat-ca", "q": inbox["late"][-6:]})) == {inbox["late"]}
    by_name = codes(client.get(INBOX, {"tab": "tat-ca", "q": "nguyễn văn an"}))
    assert by_name == {inbox["online"]}
    by_id = codes(client.get(INBOX, {"tab": "tat-ca", "q": "026090000111"}))
    assert by_id == set(inbox.values()) - {inbox["online"]}
    empty = client.get(INBOX, {"tab": "tat-ca", "q": "không có ai"})
    assert codes(empty) == set()
    assert "Không có hồ sơ nào khớp" in empty.content.decode()


def test_filters_by_status_channel_and_procedure(as_user, w, inbox):
    client = as_user(w.reception)
    online = codes(client.get(INBOX, {"tab": "tat-ca", "channel": "online"}))
    assert online == {inbox["online"]}
    waiting = codes(client.get(INBOX, {"tab": "tat-ca", "status": "awaiting_supplement"}))
    assert waiting == {inbox["waiting"]}
    mine = codes(client.get(INBOX, {"tab": "tat-ca", "procedure": w.procedure.code}))
    assert mine == set(inbox.values())
    # An unknown procedure is reported and ignored; the other filters still apply.
    other = client.get(INBOX, {"tab": "tat-ca", "procedure": "9.999999", "channel": "online"})
    assert codes(other) == {inbox["online"]}
    assert 'aria-invalid="true"' in other.content.decode()


def test_empty_inbox_says_so(as_user, w):
    response = as_user(w.leader).get(INBOX)
    assert response.status_code == 200
    assert "Không có hồ sơ nào trong nhóm này." in response.content.decode()


def _many(w, n):
    start = timezone.now() - timedelta(hours=1)
    for i in range(n):
        factories.counter(w, start + timedelta(seconds=i))


def test_pagination_twenty_per_page(as_user, w):
    _many(w, 23)
    client = as_user(w.reception)
    first = client.get(INBOX, {"tab": "tat-ca"})
    assert len(codes(first)) == 20
    assert 'rel="next"' in first.content.decode()
    second = client.get(INBOX, {"tab": "tat-ca", "page": 2})
    assert len(codes(second)) == 3
    assert codes(first).isdisjoint(codes(second))
    # A page past the end shows the last one instead of failing.
    assert codes(client.get(INBOX, {"tab": "tat-ca", "page": 99})) == codes(second)


@pytest.mark.parametrize("asked", ["18446744073709551617", "9" * 5000, "-1", "x"])
def test_any_page_number_is_a_page(as_user, w, asked):
    factories.counter(w, timezone.now())
    response = as_user(w.reception).get(INBOX, {"page": asked})
    assert response.status_code == 200
    assert len(codes(response)) == 1


def test_pages_follow_the_deadline_order(as_user, w):
    # Soonest deadline first, page after page (the order an officer works in).
    _many(w, 23)
    client = as_user(w.reception)
    shown = []
    for page in (1, 2):
        html = client.get(INBOX, {"tab": "tat-ca", "page": page}).content.decode()
        shown += re.findall(r'class="bo-code">([^<]+)<', html)
    expected = list(Dossier.objects.order_by("due_at", "id").values_list("code", flat=True))
    assert shown == expected


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(INBOX, params).status_code == 200
    return len(captured)


def test_queries_per_page_do_not_grow_with_rows(as_user, w, django_assert_max_num_queries):
    client = as_user(w.reception)
    _many(w, 2)
    few = _queries(client, tab="tat-ca")
    _many(w, 20)
    assert _queries(client, tab="tat-ca") == few
    # On PostgreSQL the test's own transaction holds the dossiers' uncommitted count changes:
    # the kept totals take them in first, one statement a request outside it does not send.
    with django_assert_max_num_queries(13 if connection.vendor == "postgresql" else 12):
        client.get(INBOX, {"tab": "xu-ly", "q": "Bùi", "channel": "counter"})


def test_a_dossier_at_another_agencys_step_is_in_both_inboxes_once(as_user, w):
    """Liên thông: the partner agency's step holds it (its inbox, from `held_by`), the
    receiving agency still follows it; each counts it once, in deadline order."""
    now = timezone.now()
    moved = factories.counter(w, now - timedelta(minutes=30))
    services.perform(moved, "forward", w.reception, now=now - timedelta(minutes=20))
    services.perform(moved, "transfer", w.specialist, now=now - timedelta(minutes=10))
    home_only = factories.counter(w, now - timedelta(minutes=5))
    partner = as_user(w.partner_specialist).get(INBOX, {"tab": "tat-ca"})
    assert codes(partner) == {moved.code}
    assert counts(partner)["tat-ca"] == 1
    assert counts(partner)["xu-ly"] == 1
    home = as_user(w.reception).get(INBOX, {"tab": "tat-ca"})
    assert codes(home) == {moved.code, home_only.code}
    assert counts(home)["tat-ca"] == 2
    html = home.content.decode()
    # The older deadline first.
    assert html.index(moved.code) < html.index(home_only.code)
