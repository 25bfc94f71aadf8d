"""Counter reception takes organisations (tax code, representative) as well as citizens, for
the procedures that are for them; moves name their steps through a public rule."""

import pytest

from motcua.catalog import services as catalog
from motcua.core.errors import ValidationFailed
from motcua.dossiers import services

from . import factories

AT = factories.local(2026, 11, 23, 9)
ORGANISATION = {
    "kind": "organisation",
    "full_name": "Công ty TNHH Nông sản Bắc Hà",
    "tax_code": "0100109106",
    "representative": "Vàng Seo Sử",
    "phone": "0912345678",
}


def receive(w, applicant, specs=None):
    return services.receive_at_counter(
        officer=w.reception,
        procedure=w.procedure.code,
        agency=w.home.code,
        applicant=applicant,
        form={"child_name": "Không áp dụng"},
        components=[
            {"spec_id": spec.pk, "file_id": str(factories.upload(w.reception).pk)}
            for spec in specs or w.specs
        ],
        now=AT,
    )


def test_an_organisation_at_the_counter_keeps_its_representative(w):
    version = catalog.import_procedure(
        factories.procedure_data(code=w.procedure.code, applicant_kinds=["citizen", "organisation"])
    )
    d = receive(w, ORGANISATION, list(version.components.all()))
    assert d.applicant["tax_code"] == "0100109106"
    assert d.applicant["representative"] == "Vàng Seo Sử"


def test_the_counter_respects_who_the_procedure_is_for(w):
    with pytest.raises(ValidationFailed) as raised:
        receive(w, ORGANISATION)  # the world's procedure is for citizens only
    assert "applicant.kind" in raised.value.fields


def test_candidate_steps_is_the_public_rule_of_moves(w):
    d = factories.counter(w, AT)
    # The next step first, then the receiving agency's later steps (not the partner's).
    forward = [s.pk for s in services.candidate_steps(d, "forward")]
    assert forward == [w.steps[1].pk, w.steps[3].pk]
    assert [s.pk for s in services.candidate_steps(d, "transfer")] == [w.steps[2].pk]
    assert services.candidate_steps(d, "send_back") == []
