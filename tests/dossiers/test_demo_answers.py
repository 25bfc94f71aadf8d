"""The demo e-forms are answered with values of each field's meaning (a newcomer reads the
officer's dossier page of a demo dossier and sees a dossier, not names in every field)."""

import json
import random
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from motcua.dossiers import demo_answers
from motcua.dossiers.demo_answers import ETHNICITIES, FAMILY, LAND_USES, answer

DATA = Path(demo_answers.__file__).parent.parent / "catalog" / "data" / "demo_procedures.json"
PROCEDURES = json.loads(DATA.read_text(encoding="utf-8"))
PROCEDURES = PROCEDURES if isinstance(PROCEDURES, list) else PROCEDURES["procedures"]
SCHEMAS = [p["form_schema"] for p in PROCEDURES if p.get("form_schema")]


def leaves(schema: dict, value, name=""):
    """(field name, schema, answer) of every text answer."""
    if "properties" in schema:
        for key, sub in schema["properties"].items():
            yield from leaves(sub, value[key], key)
    elif schema.get("type") == "array":
        for item in value:
            yield from leaves(schema.get("items", {}), item, name)
    elif schema.get("type") == "string" and "enum" not in schema:
        yield name, schema, value


def is_person_name(text: str) -> bool:
    return text.split(" ", 1)[0] in FAMILY and len(text.split()) == 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_demo_form_is_answered_validly_and_by_meaning(seed):
    rng = random.Random(seed)
    assert len(SCHEMAS) >= 30
    for schema in SCHEMAS:
        form = answer(schema, rng)
        jsonschema.Draft202012Validator(schema).validate(form)
        for name, leaf, value in leaves(schema, form):
            # A person's name only where the form asks for one.
            asks_a_name = name.endswith("_name") or name in ("full_name", "former_names")
            assert is_person_name(value) == (
                asks_a_name
                and not name.startswith(("company", "business", "project", "bank", "document"))
            ), (name, leaf.get("title"), value)
            if name == "ethnicity":
                assert value in ETHNICITIES
            if name == "nationality":
                assert value == "Việt Nam"
            if name == "land_use_purpose":
                assert value in LAND_USES
            if "address" in name:
                assert value.endswith("tỉnh Lào Cai"), value
            if name == "date_of_birth":
                assert date(1950, 1, 1) <= date.fromisoformat(value) < date(2006, 1, 1)
