"""Fee exemptions ("miễn"): an e-form answer waives a fee, and the dossier says why."""

import json

import pytest
from django.test import Client

from motcua.catalog import services as catalog
from motcua.catalog.queries import procedure_as_dict
from motcua.core.errors import ValidationFailed
from motcua.payments.fees import fees_due
from motcua.payments.models import Payment

from . import factories as f

pytestmark = pytest.mark.django_db

CHARGE = {
    "name": "Lệ phí",
    "kind": "charge",
    "amount": 50000,
    "online_amount": None,
    "per_unit_field": "",
    "note": "",
}
CATEGORIES = {
    **CHARGE,
    "exemption_field": "beneficiary.category",
    "exemption_values": ["Trẻ em", "Người cao tuổi"],
    "exemption_reason": "trẻ em, người cao tuổi (Thông tư 244/2016/TT-BTC, Điều 4)",
}
YES_NO = {**CHARGE, "exemption_field": "poor_household", "exemption_reason": f.POOR_EXEMPT}


def _procedure(*fees):
    return f.procedure(list(fees))


@pytest.mark.parametrize(
    ("form", "exempt"),
    [
        ({"poor_household": True}, True),
        ({"poor_household": False}, False),
        ({"poor_household": "true"}, False),  # only a real yes exempts
        ({}, False),
    ],
)
def test_a_yes_answer_exempts_and_says_why(w, form, exempt):
    due = fees_due(_procedure(YES_NO), "counter", form)
    line = due.lines[0]
    assert (line.exempt, line.amount, due.total) == (exempt, 0 if exempt else 50000, due.total)
    if exempt:
        assert line.reason == f"miễn: {f.POOR_EXEMPT}"
        assert line.as_dict()["exempt"] is True
    else:
        assert "miễn" not in line.reason


@pytest.mark.parametrize(
    ("category", "owed"),
    [("Trẻ em", 0), ("Người cao tuổi", 0), ("Sinh viên", 50000), (None, 50000), ({}, 50000)],
)
def test_a_listed_beneficiary_category_exempts(w, category, owed):
    form = {"beneficiary": {"category": category}} if category is not None else {}
    assert fees_due(_procedure(CATEGORIES), "online", form).total == owed


def test_a_multiple_choice_answer_exempts_when_one_is_listed(w):
    form = {"beneficiary": {"category": ["Sinh viên", "Trẻ em"]}}
    assert fees_due(_procedure(CATEGORIES), "counter", form).total == 0


def test_only_the_exempt_fee_is_waived(w):
    copy_fee = {**CHARGE, "amount": 10000, "per_unit_field": "copies"}
    due = fees_due(_procedure(YES_NO, copy_fee), "counter", {"poor_household": True, "copies": 2})
    assert [line.amount for line in due.lines] == [0, 20000] and due.total == 20000


def test_an_exempt_online_dossier_owes_nothing_and_creates_no_payment(w):
    dossier = f.submit(w, w.exempt_procedure, copies=1, poor_household=True)
    client = Client()
    client.force_login(w.citizen)
    # The copy fee (online 8 000 đ) remains; the registration charge is waived.
    owed = client.get(f"/api/v1/dossiers/{dossier.code}/payments").json()
    assert owed["fees_due"] == 8000
    assert owed["fee_lines"][0]["exempt"] and "hộ nghèo" in owed["fee_lines"][0]["reason"]
    detail = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert detail["fees_due"] == 8000 and detail["fee_lines"][0]["amount"] == 0
    payment = client.post(
        f"/api/v1/dossiers/{dossier.code}/payments", "", content_type="application/json"
    ).json()
    assert payment["amount"] == 8000 and payment["fee_lines"][0]["exempt"]


def test_fully_exempt_dossier_creates_no_payment(w):
    procedure = _procedure(YES_NO)
    dossier = f.submit(w, procedure, poor_household=True)
    client = Client()
    client.force_login(w.citizen)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/payments", "", content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "nothing_due"
    assert not Payment.objects.exists()
    page = client.get(f"/thanh-toan/{dossier.code}/").content.decode()
    assert "Miễn" in page and "hộ nghèo" in page


def test_the_catalog_exchanges_the_exemption(w):
    procedure = _procedure(CATEGORIES)
    data = procedure_as_dict(procedure)
    assert data["fees"][0]["exemption_values"] == ["Trẻ em", "Người cao tuổi"]
    assert data["fees"][0]["exemption_field"] == "beneficiary.category"
    # Exported then imported unchanged: no new version.
    assert catalog.import_procedure(json.loads(json.dumps(data))).pk == procedure.pk


@pytest.mark.parametrize(
    ("fee", "field"),
    [
        ({**YES_NO, "exemption_reason": ""}, "fees.0.exemption_reason"),
        ({**YES_NO, "exemption_field": "no_such_answer"}, "fees.0.exemption_field"),
        ({**CHARGE, "exemption_reason": "người có công"}, "fees.0.exemption_field"),
        ({**CATEGORIES, "exemption_values": "Trẻ em"}, "fees.0.exemption_values"),
    ],
)
def test_the_catalog_refuses_an_exemption_without_its_answer_or_reason(w, fee, field):
    with pytest.raises(ValidationFailed) as caught:
        _procedure(fee)
    assert field in caught.value.fields
