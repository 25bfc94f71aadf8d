"""Indicator 5.6: dossiers whose applicant data came from the population registry, or whose
applicant's identity was verified (national identity sign-in), among the dossiers received.
Each side of that OR counts on its own; the rules per channel are in dossiers/identity.py."""

from datetime import date, timedelta

import pytest

from motcua.accounts.models import Verification
from motcua.dossiers import queries, services
from motcua.dossiers.models import DigitalTeamMember, IdentityCheck
from motcua.integrations.models import LocalResident

from . import factories
from .test_registry_use import SCHEMA, form

AT = factories.local(2026, 11, 23, 9)
MONTH = (factories.local(2026, 11, 1), factories.local(2026, 12, 1))
ELDER_ID = "010058000912"  # known to the registry, no account
IN_PERSON = {"consent_method": "in_person"}


@pytest.fixture
def w(db):
    world = factories.world(form_schema=SCHEMA)
    LocalResident.objects.create(
        id_number=world.citizen.id_number,
        full_name="Nguyễn Văn An",
        date_of_birth=date(1985, 2, 3),
        sex="Nam",
        permanent_address="Tổ 3, phường Lào Cai, tỉnh Lào Cai",
    )
    LocalResident.objects.create(
        id_number=ELDER_ID,
        full_name="Giàng A Sử",
        date_of_birth=date(1958, 3, 10),
        sex="Nam",
        permanent_address="Thôn Na Hối, xã Bắc Hà, tỉnh Lào Cai",
    )
    world.member = factories.user("Lý Văn Hải")
    DigitalTeamMember.objects.create(user=world.member, agency=world.home, team_name="Tổ số")
    return world


def verified(user):
    """The account signed in through the national identity provider."""
    Verification.objects.create(
        user=user, identity_verified_at=AT - timedelta(days=30), identity_subject=user.username
    )
    return user


def online(w, user, *, registry_fields=None, at=AT, **extra):
    return services.submit_online(
        applicant_user=user,
        procedure=w.procedure.code,
        agency=w.home.code,
        form=form(),
        components=factories.components_for(w, user),
        registry_fields=registry_fields,
        now=at,
        **extra,
    )


def assist(w, helper, citizen_id, **extra):
    return services.submit_online(
        applicant_user=helper,
        procedure=w.procedure.code,
        agency=w.home.code,
        form=form(),
        components=factories.components_for(w, helper),
        helper=IN_PERSON,
        on_behalf_of=citizen_id,
        now=AT,
        **extra,
    )


def counted(w) -> set:
    return set(queries.used_population_data(w.home, *MONTH).values_list("code", flat=True))


def test_a_verified_national_identity_counts_without_registry_data(w):
    d = online(w, verified(w.citizen))
    assert not d.from_registry
    assert d.identity_check == IdentityCheck.NATIONAL_ID
    assert counted(w) == {d.code}


def test_registry_data_counts_without_a_verified_identity(w):
    d = online(w, w.citizen, registry_fields=["requester.full_name"])
    assert d.from_registry and d.identity_check == IdentityCheck.NONE
    assert counted(w) == {d.code}


def test_neither_does_not_count_but_is_received(w):
    d = online(w, w.citizen)
    assert d.identity_check == IdentityCheck.NONE
    assert counted(w) == set()
    assert list(queries.received_in(w.home, *MONTH)) == [d]


def test_a_draft_is_judged_when_it_is_submitted(w):
    draft = online(w, w.citizen, draft=True)
    verified(w.citizen)  # the citizen signs in with the national identity before submitting
    d = services.perform(draft.pk, "submit", w.citizen, now=AT)
    d.refresh_from_db()
    assert d.identity_check == IdentityCheck.NATIONAL_ID
    assert counted(w) == {d.code}


def test_assisted_counts_when_the_registry_named_the_applicant_not_by_the_helpers_identity(w):
    verified(w.member)  # the helper's own identity is not the applicant's
    named = assist(w, w.member, ELDER_ID)
    assert named.applicant["full_name"] == "Giàng A Sử"
    assert named.identity_check == IdentityCheck.REGISTRY
    typed = assist(w, w.member, "010190099999", applicant={"full_name": "Thào Thị Dợ"})
    assert typed.identity_check == IdentityCheck.NONE
    assert counted(w) == {named.code}


def test_an_assisted_draft_keeps_what_the_registry_said(w):
    verified(w.member)
    draft = assist(w, w.member, "010190099999", applicant={"full_name": "Thào Thị Dợ"}, draft=True)
    d = services.perform(draft.pk, "submit", w.member, now=AT)
    assert d.identity_check == IdentityCheck.NONE
    draft = assist(w, w.member, ELDER_ID, draft=True)
    d = services.perform(draft.pk, "submit", w.member, now=AT)
    assert d.identity_check == IdentityCheck.REGISTRY


def test_at_the_counter_only_registry_answers_count(w):
    typed = factories.counter(w, AT)
    assert typed.identity_check == IdentityCheck.NONE
    checked = services.receive_at_counter(
        officer=w.reception,
        procedure=w.procedure.code,
        agency=w.home.code,
        applicant={
            "kind": "citizen",
            "full_name": "Nguyễn Văn An",
            "id_number": w.citizen.id_number,
        },
        form=form(),
        components=factories.components_for(w, w.reception),
        registry_fields=["requester.date_of_birth"],
        now=AT,
    )
    assert counted(w) == {checked.code}


def test_the_period_and_the_agency_bound_the_count(w):
    verified(w.citizen)
    inside = online(w, w.citizen)
    online(w, w.citizen, at=MONTH[1])  # the first instant of the next period
    online(w, w.citizen, at=MONTH[0] - timedelta(seconds=1))
    online(w, w.citizen, draft=True)  # never received
    assert counted(w) == {inside.code}
    assert queries.received_in(w.home, *MONTH).count() == 1
    assert not queries.used_population_data(w.partner, *MONTH).exists()
    both = queries.used_population_data([w.home, w.partner.pk], *MONTH)
    assert [d.code for d in both] == [inside.code]
