"""The submission's database work stays small, and the procedure versions a process keeps for
it never outlive the catalog: a new version, an abolished procedure or an inactive agency is
seen by the next submission."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.catalog import services as catalog
from motcua.core.services import issue_api_token
from motcua.dossiers import procedures
from motcua.dossiers.models import Dossier

from .factories import upload

pytestmark = pytest.mark.django_db

API = "/api/v1"
# The test's two uploads, then: token (with the account's Verification and whether it holds
# a role), (procedure + agency), file lock, dossier, component, file, event, notification,
# code number and code (one statement on PostgreSQL), BEGIN/COMMIT when the backend counts
# them: nothing read twice.
MAX_QUERIES = 14


@pytest.fixture(autouse=True)
def _fresh_versions():
    procedures.forget()
    yield
    procedures.forget()


def main_table(sql: str) -> str:
    """The table a SELECT reads from, its subqueries aside."""
    while re.search(r"\([^()]*\)", sql):
        sql = re.sub(r"\([^()]*\)", "", sql)
    return re.search(r'FROM "?(\w+)', sql)[1]


def bearer(user) -> dict:
    token, _ = issue_api_token(user)
    return {"Authorization": f"Bearer {token}"}


def body(w, owner, procedure=None) -> dict:
    return {
        "procedure": procedure or w.procedure.code,
        "agency": w.home.code,
        "form": {"child_name": "Nguyễn Văn Con"},
        "components": [{"spec_id": spec.pk, "file_id": str(upload(owner).pk)} for spec in w.specs],
    }


def submit(w, headers, **overrides):
    return Client().post(
        f"{API}/dossiers",
        {**body(w, w.citizen), **overrides},
        content_type="application/json",
        headers=headers,
    )


def test_a_submission_takes_a_bounded_number_of_queries(w):
    headers = bearer(w.citizen)
    assert submit(w, headers).status_code == 201  # the process keeps the version from here
    with CaptureQueriesContext(connection) as captured:
        response = submit(w, headers)
    assert response.status_code == 201, response.content
    assert len(captured) <= MAX_QUERIES, "\n".join(q["sql"][:120] for q in captured)
    # Nothing is read back that the submission just wrote or already knew.
    read = {main_table(q["sql"]) for q in captured if q["sql"].startswith("SELECT")}
    assert not read & {"dossiers_dossiercomponent", "catalog_officerrole", "dossiers_event"}
    assert "accounts_verification" not in read  # read with the token
    assert not read & {"catalog_procedure", "catalog_componentspec", "catalog_fee"}
    body = response.json()
    assert [c["spec_id"] for c in body["components"]] == [s.pk for s in w.specs]
    assert body["allowed_actions"] == ["withdraw"]


def test_an_officer_submitting_by_token_still_gets_their_roles(w):
    response = Client().post(
        f"{API}/dossiers",
        {
            **body(w, w.reception),
            "channel": "counter",
            "applicant": {
                "kind": "citizen",
                "full_name": "Bùi Văn Quầy",
                "id_number": "026090000111",
            },
        },
        content_type="application/json",
        headers=bearer(w.reception),
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "processing"


def test_a_new_version_is_used_by_the_next_submission(w):
    headers = bearer(w.citizen)
    first = submit(w, headers)
    assert first.json()["procedure_version"] == 1
    newer = catalog.revise_procedure(w.procedure, {"name": "Đăng ký khai sinh (sửa đổi)"})
    assert newer.version == 2
    w.specs = list(newer.components.order_by("order", "id"))
    second = submit(w, headers)
    assert second.status_code == 201, second.content
    assert (second.json()["procedure_version"], second.json()["procedure_name"]) == (
        2,
        "Đăng ký khai sinh (sửa đổi)",
    )


def test_an_abolished_procedure_takes_no_more_submissions(w):
    headers = bearer(w.citizen)
    assert submit(w, headers).status_code == 201
    catalog.abolish_procedure(w.procedure)
    refused = submit(w, headers)
    assert refused.status_code == 422
    assert "procedure" in refused.json()["error"]["fields"]
    assert Dossier.objects.count() == 1


def test_an_inactive_agency_takes_no_more_submissions(w):
    headers = bearer(w.citizen)
    assert submit(w, headers).status_code == 201
    w.home.is_active = False
    w.home.save()
    refused = submit(w, headers)
    assert refused.status_code == 422
    assert "agency" in refused.json()["error"]["fields"]


def test_a_version_changed_by_another_process_is_not_kept(w):
    """Another process saves the row (no signal here): the stamp read with each submission
    differs, so the kept copy is not used."""
    headers = bearer(w.citizen)
    assert submit(w, headers).status_code == 201
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(pk=w.procedure.pk).update(
        form_schema={
            "type": "object",
            "required": ["child_name", "birth_place"],
            "properties": {"child_name": {"type": "string"}, "birth_place": {"type": "string"}},
        },
        updated_at=w.procedure.updated_at.replace(year=w.procedure.updated_at.year + 1),
    )
    refused = submit(w, headers)
    assert refused.status_code == 422
    assert "form.birth_place" in refused.json()["error"]["fields"]
