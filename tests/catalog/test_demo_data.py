"""The demo data files: real-looking, consistent, and in the catalog import format."""

import re
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator

from motcua.catalog.codes import AGENCY_CODE_RE, PROCEDURE_CODE_RE
from motcua.catalog.demo import load
from motcua.catalog.models import OfficerRole

PROCEDURES = load("procedures")["procedures"]
AGENCIES = load("agencies")["agencies"]
USERS = load("users")


def budget_total(procedure: dict) -> Decimal:
    return sum((Decimal(str(step["budget_hours"])) for step in procedure["steps"]), Decimal(0))


def processing_hours(procedure: dict) -> Decimal:
    """The processing time in working hours; "within the day" is one office day (8 h)."""
    time = procedure["processing_time"]
    value = Decimal(str(time["value"]))
    return {"working_days": value * 8, "working_hours": value, "in_day": Decimal(8)}[time["unit"]]


def test_at_least_30_procedures_in_8_sectors_with_unique_codes():
    codes = [p["code"] for p in PROCEDURES]
    assert len(codes) >= 30
    assert len(set(codes)) == len(codes)
    assert all(PROCEDURE_CODE_RE.match(code) for code in codes)
    assert len({p["sector"] for p in PROCEDURES}) >= 8
    declared = {s["code"] for s in load("procedures")["sectors"]}
    assert {p["sector"] for p in PROCEDURES} <= declared


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p["code"])
def test_every_form_schema_is_valid_json_schema(procedure):
    Draft202012Validator.check_schema(procedure["form_schema"])
    layout = [f for section in procedure["form_ui"]["sections"] for f in section["fields"]]
    # The layout shows every field of the form exactly once.
    assert sorted(layout) == sorted(procedure["form_schema"]["properties"])


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p["code"])
def test_step_budgets_sum_to_the_processing_time(procedure):
    assert procedure["steps"], "every procedure has an internal process"
    assert budget_total(procedure) == processing_hours(procedure)
    roles = {step["role"] for step in procedure["steps"]}
    assert {"reception", "specialist", "leader"} <= roles


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p["code"])
def test_every_procedure_is_complete_as_the_law_requires(procedure):
    for key in (
        "name",
        "steps_text",
        "submission_text",
        "applicant_text",
        "fee_text",
        "result_type",
        "publication_decision",
        "publication_date",
    ):
        assert procedure[key], key
    assert procedure["components"] and procedure["legal_bases"] and procedure["agencies"]
    for basis in procedure["legal_bases"]:
        assert basis["number"] and basis["issued_on"] <= basis["effective_on"]
    if procedure["online_level"] == "full":
        assert procedure["full_process_eligible"] and "online" in procedure["channels"]


def test_required_special_procedures_are_present():
    full_with_fee = [p for p in PROCEDURES if p["online_level"] == "full" and p["fees"]]
    free = [p for p in PROCEDURES if not p["fees"]]
    in_day = [
        p
        for p in PROCEDURES
        if p["processing_time"]["unit"] == "in_day" and p["processing_time"]["cutoff"] == "15:00"
    ]
    inter_agency = [
        p for p in PROCEDURES if any(s["inter_agency"] and s["agency"] for s in p["steps"])
    ]
    assert full_with_fee and free and in_day and inter_agency
    # Certification of copies is within the day with the 15:00 cut-off (Decree 23/2015 Art. 21).
    assert "2.000815" in {p["code"] for p in in_day}
    # Many provinces set online fees to 0: at least one fee differs by channel.
    assert any(f["online_amount"] == 0 and f["amount"] > 0 for p in PROCEDURES for f in p["fees"])


def test_birth_registration_form_has_the_real_fields_and_registry_prefill():
    birth = next(p for p in PROCEDURES if p["code"] == "1.001193")
    assert birth["name"] == "Thủ tục đăng ký khai sinh"
    assert birth["fees"] == []  # free when registered on time (Luật Hộ tịch Art. 11)
    props = birth["form_schema"]["properties"]
    assert {"full_name", "date_of_birth", "sex", "place_of_birth"} <= set(
        props["child"]["properties"]
    )
    for parent in ("mother", "father"):
        assert {"full_name", "id_number"} <= set(props[parent]["properties"])
    assert "relationship" in props
    registry = {
        field["x-registry"]
        for field in props["requester"]["properties"].values()
        if "x-registry" in field
    }
    assert {"full_name", "date_of_birth", "permanent_address", "id_number"} <= registry


def test_agency_codes_have_the_decision_20_shape_under_one_province():
    codes = [a["code"] for a in AGENCIES]
    assert len(set(codes)) == len(codes)
    assert all(AGENCY_CODE_RE.match(c) and c.endswith(".H38") for c in codes)
    province = [a for a in AGENCIES if a["level"] == "province"]
    assert [a["code"] for a in province] == ["000.00.00.H38"]
    assert sum(a["level"] == "department" for a in AGENCIES) >= 6
    assert sum(a["level"] == "commune" for a in AGENCIES) >= 5
    seen = set()
    for agency in AGENCIES:  # parents come first, so the seed can create them in order
        assert agency.get("parent") in seen | {None}
        seen.add(agency["code"])
    referenced = {c for p in PROCEDURES for c in p["agencies"]} | {
        s["agency"] for p in PROCEDURES for s in p["steps"] if s["agency"]
    }
    assert referenced <= seen


def test_citizens_have_valid_looking_id_numbers():
    for citizen in USERS["citizens"]:
        number = citizen["id_number"]
        assert re.fullmatch(r"\d{12}", number)
        assert 1 <= int(number[:3]) <= 96  # province code of birth registration
        assert number[3] in "0123"  # sex and century
        assert len(citizen["full_name"].split()) >= 3


def test_officers_cover_every_role():
    roles = {role for officer in USERS["officers"] for role in officer["roles"]}
    assert roles == set(OfficerRole.Role.values)
    usernames = [o["username"] for o in USERS["officers"]]
    assert len(set(usernames)) == len(usernames)
