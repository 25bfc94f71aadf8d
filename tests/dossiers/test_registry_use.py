"""A dossier records the answers taken from the population registry and kept (indicator
5.6): only those the registry confirms at submission count."""

from datetime import date

import pytest

from motcua.core.errors import ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.integrations.models import LocalResident, RegistryLookup
from motcua.integrations.plugins.population import RegistryUnavailable

from . import factories

SCHEMA = {
    "type": "object",
    "required": ["child_name"],
    "properties": {
        "child_name": {"type": "string"},
        "requester": {
            "type": "object",
            "properties": {
                "full_name": {"type": "string", "x-registry": "full_name"},
                "date_of_birth": {
                    "type": "string",
                    "format": "date",
                    "x-registry": "date_of_birth",
                },
                "permanent_address": {"type": "string", "x-registry": "permanent_address"},
            },
        },
    },
}
AT = factories.local(2026, 11, 23, 9)


@pytest.fixture
def w(db):
    world = factories.world(form_schema=SCHEMA)
    LocalResident.objects.create(
        id_number=world.citizen.id_number,
        full_name="Nguyễn Văn An",
        date_of_birth=date(1985, 2, 3),
        sex="Nam",
        ethnicity="Kinh",
        permanent_address="Tổ 3, phường Lào Cai, tỉnh Lào Cai",
    )
    return world


def form(**requester):
    base = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "1985-02-03",
        "permanent_address": "Tổ 3, phường Lào Cai, tỉnh Lào Cai",
    }
    return {"child_name": "Nguyễn Văn Con", "requester": {**base, **requester}}


def submit(w, answers, registry_fields, **extra):
    return services.submit_online(
        applicant_user=w.citizen,
        procedure=w.procedure.code,
        agency=w.home.code,
        form=answers,
        components=factories.components_for(w, w.citizen),
        registry_fields=registry_fields,
        now=AT,
        **extra,
    )


def test_kept_registry_answers_are_recorded(w):
    d = submit(w, form(), ["requester.full_name", "requester.date_of_birth"])
    d.refresh_from_db()
    assert d.from_registry is True
    assert d.registry_fields == ["requester.date_of_birth", "requester.full_name"]
    lookup = RegistryLookup.objects.get()
    assert (lookup.user, lookup.id_number) == (w.citizen, w.citizen.id_number)


def test_a_changed_answer_does_not_count(w):
    d = submit(
        w,
        form(permanent_address="Chỗ khác"),
        ["requester.permanent_address", "child_name"],
    )
    d.refresh_from_db()
    assert (d.from_registry, d.registry_fields) == (False, [])


def test_no_claim_means_no_lookup(w):
    d = submit(w, form(), None)
    assert (d.from_registry, d.registry_fields) == (False, [])
    assert not RegistryLookup.objects.exists()


def test_an_unavailable_registry_never_blocks_the_submission(w, monkeypatch):
    def down(self, id_number):
        raise RegistryUnavailable()

    monkeypatch.setattr(
        "motcua.integrations.plugins.population.contrib.local.plugin.LocalRegistry.lookup", down
    )
    d = submit(w, form(), ["requester.full_name"])
    assert d.code and (d.from_registry, d.registry_fields) == (False, [])


def test_registry_fields_must_be_a_list_of_paths(w):
    with pytest.raises(ValidationFailed) as raised:
        submit(w, form(), "requester.full_name")
    assert "registry_fields" in raised.value.fields
    with pytest.raises(ValidationFailed):
        submit(w, form(), [1, 2])


def test_a_draft_keeps_the_claim_and_checks_it_when_submitted(w):
    draft = submit(w, form(), ["requester.full_name"], draft=True)
    assert (draft.from_registry, draft.registry_fields) == (False, ["requester.full_name"])
    assert not RegistryLookup.objects.exists()
    done = services.perform(draft.pk, "submit", w.citizen, now=AT)
    done.refresh_from_db()
    assert (done.from_registry, done.registry_fields) == (True, ["requester.full_name"])


def test_a_draft_changed_after_the_claim_does_not_count(w):
    draft = submit(w, form(), ["requester.full_name"], draft=True)
    Dossier.objects.filter(pk=draft.pk).update(form=form(full_name="Nguyễn Văn Ân"))
    done = services.perform(draft.pk, "submit", w.citizen, now=AT)
    done.refresh_from_db()
    assert (done.from_registry, done.registry_fields) == (False, [])


def test_counter_reception_checks_the_applicants_registry_entry(w):
    d = services.receive_at_counter(
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
        registry_fields=["requester.full_name", "requester.permanent_address"],
        now=AT,
    )
    d.refresh_from_db()
    assert d.registry_fields == ["requester.full_name", "requester.permanent_address"]
    assert RegistryLookup.objects.get().user == w.reception


def test_the_api_records_registry_use(w):
    from .test_api import client_for, create, dossier_body

    client = client_for(w.citizen)
    body = dossier_body(w, client)
    body.update(form=form(), registry_fields=["requester.full_name", "requester.date_of_birth"])
    response = create(client, body)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["from_registry"] is True
    assert answer["registry_fields"] == ["requester.date_of_birth", "requester.full_name"]
    bad = create(client, {**dossier_body(w, client), "registry_fields": "requester"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
