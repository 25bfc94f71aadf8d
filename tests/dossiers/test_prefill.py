"""Pre-filling e-forms from the population registry (`x-registry` bindings)."""

from datetime import date

from motcua.catalog.demo import load
from motcua.dossiers.prefill import find_member, kept_from_registry, prefill, value_at
from motcua.dossiers.services import _Errors, validate_form
from motcua.integrations.plugins.population import Resident

LAN = Resident(
    id_number="015190004521",
    full_name="Nguyễn Thị Lan",
    date_of_birth=date(1990, 3, 14),
    sex="Nữ",
    ethnicity="Kinh",
    nationality="Việt Nam",
    permanent_address="Số 12, tổ dân phố 5, phường Yên Bái, tỉnh Lào Cai",
    current_address="Số 12, tổ dân phố 5, phường Yên Bái, tỉnh Lào Cai",
    household=[
        {
            "id_number": "015087002210",
            "full_name": "Hoàng Văn Thắng",
            "relationship": "Chồng",
            "date_of_birth": date(1987, 9, 21),
        },
        {
            "id_number": "015215003388",
            "full_name": "Hoàng Minh Khôi",
            "relationship": "Con",
            "date_of_birth": date(2015, 11, 2),
        },
    ],
)


def demo_schema(code: str) -> dict:
    return next(p for p in load("procedures")["procedures"] if p["code"] == code)["form_schema"]


def test_birth_registration_requester_is_filled_from_the_registry():
    result = prefill(demo_schema("1.001193"), LAN)
    assert result.answers == {
        "requester": {
            "full_name": "Nguyễn Thị Lan",
            "date_of_birth": "1990-03-14",
            "sex": "Nữ",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "id_number": "015190004521",
            "permanent_address": "Số 12, tổ dân phố 5, phường Yên Bái, tỉnh Lào Cai",
            "current_address": "Số 12, tổ dân phố 5, phường Yên Bái, tỉnh Lào Cai",
        }
    }
    assert result.sources == {f"requester.{k}" for k in result.answers["requester"]}
    # Unbound fields (phone, the child, the mother) are left to the citizen.
    assert "child" not in result.answers and "phone" not in result.answers["requester"]


def test_prefilled_answers_pass_the_schema_where_they_fill_it():
    schema = demo_schema("1.001193")
    errors = _Errors()
    validate_form(schema, prefill(schema, LAN).answers, errors)
    assert not [f for f in errors.fields if f.startswith("form.requester")]


def test_every_demo_procedure_binding_is_one_prefill_knows():
    """A binding nobody resolves would silently never fill: every demo schema's bindings
    give an answer for a complete resident."""
    for procedure in load("procedures")["procedures"]:
        schema = procedure["form_schema"]
        bound = _bindings(schema)
        if bound:
            assert prefill(schema, LAN).sources, procedure["code"]


def test_the_applicants_own_data_fills_one_section_of_each_demo_form():
    """Only the section asking for the applicant gets the signed-in person's data: not the
    beneficiary, the person assessed, an organisation, or one party of two."""
    for procedure in load("procedures")["procedures"]:
        filled = prefill(procedure["form_schema"], LAN)
        sections = {path.split(".")[0] for path in filled.sources}
        assert len(sections) <= 1, (procedure["code"], sections)


def test_social_allowance_fills_the_requester_not_the_beneficiary():
    answers = prefill(demo_schema("1.001776"), LAN).answers
    assert answers["requester"]["id_number"] == LAN.id_number
    assert "beneficiary" not in answers


def test_security_interest_change_leaves_the_organisation_to_the_applicant():
    answers = prefill(demo_schema("1.011442"), LAN).answers
    assert answers["requester"]["full_name"] == LAN.full_name
    assert "organisation" not in answers


def test_marriage_fills_the_applicant_who_says_which_side_they_are():
    schema = demo_schema("1.000894")
    answers = prefill(schema, LAN).answers
    assert set(answers) == {"requester"} and answers["requester"]["full_name"] == LAN.full_name
    errors = _Errors()
    validate_form(schema, answers, errors)
    assert "form.requester.party" in errors.fields  # bride or groom: the applicant says
    errors = _Errors()
    validate_form(schema, {"requester": {**answers["requester"], "party": "Bên nữ"}}, errors)
    assert not [f for f in errors.fields if f.startswith("form.requester")]


def _bindings(node, path=""):
    found = []
    if isinstance(node, dict):
        if "x-registry" in node:
            found.append(path)
        for name, child in (node.get("properties") or {}).items():
            found += _bindings(child, f"{path}.{name}")
    return found


def test_a_value_the_field_does_not_accept_is_not_filled():
    schema = {
        "type": "object",
        "properties": {
            "sex": {"type": "string", "enum": ["Male", "Female"], "x-registry": "sex"},
            "name": {"type": "string", "maxLength": 5, "x-registry": "full_name"},
            "dob": {"type": "string", "format": "date", "x-registry": "date_of_birth"},
            "odd": {"type": "string", "x-registry": "favourite_colour"},
        },
    }
    result = prefill(schema, LAN)
    assert result.answers == {"dob": "1990-03-14"}
    assert result.sources == {"dob"}


def test_missing_resident_or_data_fills_nothing():
    schema = demo_schema("1.001193")
    assert prefill(schema, None).answers == {} and not prefill(schema, None).sources
    bare = Resident(
        id_number="015190004521", full_name="Nguyễn Thị Lan", date_of_birth=None, sex="Nữ"
    )
    result = prefill(schema, bare)
    assert "date_of_birth" not in result.answers["requester"]
    assert "ethnicity" not in result.answers["requester"]  # empty is not an answer


HOUSEHOLD_SCHEMA = {
    "type": "object",
    "properties": {
        "spouse": {
            "type": "object",
            "properties": {
                "full_name": {"type": "string", "x-registry": "household.spouse.full_name"},
                "id_number": {"type": "string", "x-registry": "household.spouse.id_number"},
                "date_of_birth": {
                    "type": "string",
                    "format": "date",
                    "x-registry": "household.spouse.date_of_birth",
                },
            },
        },
        "father_name": {"type": "string", "x-registry": "household.father.full_name"},
        "first_child": {"type": "string", "x-registry": "household.Con.full_name"},
        "members": {
            "type": "array",
            "x-registry": "household",
            "items": {
                "type": "object",
                "properties": {
                    "full_name": {"type": "string", "x-registry": "full_name"},
                    "relationship": {"type": "string", "x-registry": "relationship"},
                    "date_of_birth": {
                        "type": "string",
                        "format": "date",
                        "x-registry": "date_of_birth",
                    },
                    "occupation": {"type": "string"},
                },
            },
        },
    },
}


def test_household_bindings_fill_a_member_and_the_members_list():
    result = prefill(HOUSEHOLD_SCHEMA, LAN)
    assert result.answers["spouse"] == {
        "full_name": "Hoàng Văn Thắng",
        "id_number": "015087002210",
        "date_of_birth": "1987-09-21",
    }
    assert result.answers["first_child"] == "Hoàng Minh Khôi"
    assert "father_name" not in result.answers  # no father in this household
    assert result.answers["members"] == [
        {"full_name": "Hoàng Văn Thắng", "relationship": "Chồng", "date_of_birth": "1987-09-21"},
        {"full_name": "Hoàng Minh Khôi", "relationship": "Con", "date_of_birth": "2015-11-02"},
    ]
    assert {"members.0.full_name", "members.1.relationship", "spouse.id_number"} <= result.sources
    assert not any("occupation" in path for path in result.sources)


def test_household_list_respects_max_items():
    schema = {
        "type": "object",
        "properties": {**HOUSEHOLD_SCHEMA["properties"]},
    }
    schema["properties"]["members"] = {**HOUSEHOLD_SCHEMA["properties"]["members"], "maxItems": 1}
    assert len(prefill(schema, LAN).answers["members"]) == 1


def test_find_member_by_relation_or_the_registrys_word():
    assert find_member(LAN, "spouse")["full_name"] == "Hoàng Văn Thắng"
    assert find_member(LAN, "chồng")["full_name"] == "Hoàng Văn Thắng"
    assert find_member(LAN, "mother") is None


def test_only_kept_registry_answers_count():
    schema = demo_schema("1.001193")
    form = prefill(schema, LAN).answers
    form["requester"] = {**form["requester"], "current_address": "Nơi khác, tỉnh Lào Cai"}
    claimed = [
        "requester.full_name",
        "requester.current_address",  # changed by the citizen
        "requester.phone",  # not a registry field
        "child.full_name",  # not filled by the registry
    ]
    assert kept_from_registry(schema, form, LAN, claimed) == ["requester.full_name"]
    assert kept_from_registry(schema, form, None, claimed) == []
    assert kept_from_registry(schema, form, LAN, "requester.full_name") == []


def test_value_at_walks_objects_and_lists():
    answers = {"a": {"b": [{"c": 1}]}}
    assert value_at(answers, "a.b.0.c") == 1
    assert value_at(answers, "a.b.1.c") is None
    assert value_at(answers, "a.x.c") is None
