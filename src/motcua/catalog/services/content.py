"""What a procedure's content is: the catalog dict cleaned into model values, agencies and
children (legal bases, components, fees, steps), and what makes two contents the same."""

from typing import Any

import jsonschema

from motcua.core.errors import ValidationFailed
from motcua.core.text import fold

from ..codes import validate_procedure_code
from ..models import Agency, Fee, OfficerRole, Procedure, Sector, TimeUnit
from .fields import (
    REQUIRED,
    _bool,
    _choice,
    _choice_list,
    _code_error,
    _date,
    _datetime,
    _decimal,
    _dict_list,
    _Errors,
    _hhmm,
    _integer,
    _text,
)

CHANNELS = ("counter", "online", "post")
APPLICANT_KINDS = ("citizen", "organisation")


def form_field(schema: dict, path: str) -> dict | None:
    """The JSON Schema of the e-form field at a dotted path, or None."""
    node = schema
    for part in path.split("."):
        node = (node.get("properties") or {}).get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            return None
    return node


def _exemption(errors: _Errors, item: dict, prefix: str, form_schema: dict) -> dict:
    """A fee's exemption: the e-form answer that exempts, and why (shown to the applicant)."""
    field = _text(errors, item, "exemption_field", prefix + "exemption_field", max_length=100)
    reason = _text(errors, item, "exemption_reason", prefix + "exemption_reason", max_length=500)
    values = item.get("exemption_values") or []
    if not isinstance(values, list) or not all(
        isinstance(v, (str, bool)) and v != "" for v in values
    ):
        errors.add(prefix + "exemption_values", "Phải là danh sách các câu trả lời (chuỗi).")
        values = []
    if field:
        if not reason:
            errors.add(prefix + "exemption_reason", "Cần nêu đối tượng được miễn và căn cứ.")
        if form_schema and form_field(form_schema, field) is None:
            errors.add(prefix + "exemption_field", f"Tờ khai không có trường {field!r}.")
    elif values or reason:
        errors.add(prefix + "exemption_field", "Cần tên trường tờ khai quyết định việc miễn.")
    return {"exemption_field": field, "exemption_values": values, "exemption_reason": reason}


def _clean_procedure(data: dict) -> dict:
    """Validate a procedure dict; return the model values, agencies and children.

    Raises ValidationFailed naming every faulty field ("fees.0.amount").
    """
    if not isinstance(data, dict):
        raise ValidationFailed("Thủ tục phải là một đối tượng JSON.")
    errors = _Errors()
    fields = _identity(errors, data)
    agencies = _agencies(errors, data)
    fields.update(_texts_and_channels(errors, data))
    fields.update(_processing_time(errors, data))
    fields.update(_payment_and_result(errors, data))
    fields.update(_form(errors, data))
    fields.update(_publication(errors, data))
    legal_bases = _legal_bases(errors, data)
    components = _components(errors, data)
    fees = _fees(errors, data, fields["form_schema"])
    steps = _steps(errors, data)
    errors.raise_if_any()
    return {
        "fields": fields,
        "agencies": agencies,
        "legal_bases": legal_bases,
        "components": components,
        "fees": fees,
        "steps": steps,
    }


def _identity(errors: _Errors, data: dict) -> dict[str, Any]:
    """Code, name, sector and level."""
    code = _text(errors, data, "code", "code", required=True)
    if code and (message := _code_error(validate_procedure_code, code)):
        errors.add("code", message)
    fields: dict[str, Any] = {"code": code}
    fields["name"] = _text(errors, data, "name", "name", required=True, max_length=500)

    sector_code = data.get("sector")
    fields["sector"] = Sector.objects.filter(code=sector_code).first() if sector_code else None
    if fields["sector"] is None:
        errors.add("sector", f"Không có lĩnh vực mã {sector_code!r}." if sector_code else REQUIRED)
    fields["level"] = _choice(errors, data, "level", "level", Procedure.Level.choices)
    return fields


def _agencies(errors: _Errors, data: dict) -> list[Agency]:
    """The agencies that carry the procedure out, in the order given, without repeats."""
    agency_codes = data.get("agencies") or []
    agencies: list[Agency] = []
    if not isinstance(agency_codes, list) or not agency_codes:
        errors.add("agencies", "Cần ít nhất một cơ quan thực hiện.")
    else:
        found = {a.code: a for a in Agency.objects.filter(code__in=agency_codes)}
        missing = [c for c in agency_codes if c not in found]
        if missing:
            errors.add("agencies", f"Không có cơ quan mã: {', '.join(map(str, missing))}.")
        agencies = [found[c] for c in dict.fromkeys(agency_codes) if c in found]
    return agencies


def _texts_and_channels(errors: _Errors, data: dict) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in ("steps_text", "submission_text", "applicant_text", "requirements_text"):
        fields[key] = _text(errors, data, key, key)
    fields["fee_text"] = _text(errors, data, "fee_text", "fee_text")
    fields["channels"] = _choice_list(errors, data, "channels", "channels", CHANNELS)
    fields["applicant_kinds"] = _choice_list(
        errors, data, "applicant_kinds", "applicant_kinds", APPLICANT_KINDS
    )
    return fields


def _processing_time(errors: _Errors, data: dict) -> dict[str, Any]:
    """`processing_time`: {value, unit, cutoff, text}."""
    processing = data.get("processing_time") or {}
    if not isinstance(processing, dict):
        errors.add("processing_time", "Phải là đối tượng {value, unit, cutoff, text}.")
        processing = {}
    return {
        "processing_time_value": _decimal(errors, processing.get("value"), "processing_time.value"),
        "processing_time_unit": _choice(
            errors,
            processing,
            "unit",
            "processing_time.unit",
            TimeUnit.choices,
            TimeUnit.WORKING_DAYS,
        ),
        "cutoff_time": _hhmm(errors, processing.get("cutoff"), "processing_time.cutoff"),
        "processing_time_text": _text(
            errors, processing, "text", "processing_time.text", max_length=500
        ),
    }


def _payment_and_result(errors: _Errors, data: dict) -> dict[str, Any]:
    """When fees are paid, what the result is, and how far the procedure goes online."""
    return {
        "payment_due": _choice(
            errors,
            data,
            "payment_due",
            "payment_due",
            Procedure.PaymentDue.choices,
            Procedure.PaymentDue.AT_SUBMISSION,
        ),
        "result_type": _text(errors, data, "result_type", "result_type", max_length=500),
        "result_is_document": _bool(errors, data, "result_is_document", "result_is_document", True),
        "online_level": _choice(
            errors,
            data,
            "online_level",
            "online_level",
            Procedure.OnlineLevel.choices,
            Procedure.OnlineLevel.NONE,
        ),
        "full_process_eligible": _bool(
            errors, data, "full_process_eligible", "full_process_eligible", False
        ),
    }


def _form(errors: _Errors, data: dict) -> dict[str, Any]:
    """The e-form: its JSON Schema (checked, with its property order kept) and UI hints."""
    fields: dict[str, Any] = {}
    for key in ("form_schema", "form_ui"):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            errors.add(key, "Phải là một đối tượng JSON.")
            value = {}
        fields[key] = value
    fields["form_schema"] = with_property_order(fields["form_schema"])
    if fields["form_schema"]:
        try:
            jsonschema.Draft202012Validator.check_schema(fields["form_schema"])
        except jsonschema.SchemaError as exc:
            errors.add("form_schema", f"JSON Schema không hợp lệ: {exc.message}")
    return fields


def _publication(errors: _Errors, data: dict) -> dict[str, Any]:
    return {
        "publication_decision": _text(
            errors, data, "publication_decision", "publication_decision", max_length=200
        ),
        "publication_date": _date(errors, data.get("publication_date"), "publication_date"),
        "made_public_at": _datetime(errors, data.get("made_public_at"), "made_public_at"),
    }


def _legal_bases(errors: _Errors, data: dict) -> list[dict]:
    legal_bases = []
    for i, item in enumerate(_dict_list(errors, data, "legal_bases")):
        p = f"legal_bases.{i}."
        legal_bases.append(
            {
                "number": _text(
                    errors, item, "number", p + "number", required=True, max_length=100
                ),
                "title": _text(errors, item, "title", p + "title", required=True, max_length=500),
                "issuer": _text(errors, item, "issuer", p + "issuer", max_length=200),
                "issued_on": _date(errors, item.get("issued_on"), p + "issued_on"),
                "effective_on": _date(errors, item.get("effective_on"), p + "effective_on"),
            }
        )
    return legal_bases


# What kind of document a component is, so that the citizen's vault can offer a match.
DOCUMENT_KINDS = ["", "identity", "certificate", "result", "other"]


def _components(errors: _Errors, data: dict) -> list[dict]:
    components = []
    for i, item in enumerate(_dict_list(errors, data, "components")):
        p = f"components.{i}."
        components.append(
            {
                "name": _text(errors, item, "name", p + "name", required=True, max_length=500),
                "copies": _integer(errors, item.get("copies", 1), p + "copies", minimum=1),
                "original_required": _bool(
                    errors, item, "original_required", p + "original_required", False
                ),
                "required": _bool(errors, item, "required", p + "required", True),
                "template_name": _text(
                    errors, item, "template_name", p + "template_name", max_length=200
                ),
                "digitization_required": _bool(
                    errors, item, "digitization_required", p + "digitization_required", False
                ),
                "document_kind": _choice(
                    errors, item, "document_kind", p + "document_kind", DOCUMENT_KINDS, ""
                ),
                "note": _text(errors, item, "note", p + "note"),
            }
        )
    return components


def _fees(errors: _Errors, data: dict, form_schema: dict) -> list[dict]:
    fees = []
    for i, item in enumerate(_dict_list(errors, data, "fees")):
        p = f"fees.{i}."
        fees.append(
            {
                "name": _text(errors, item, "name", p + "name", required=True, max_length=300),
                "kind": _choice(
                    errors, item, "kind", p + "kind", Fee.Kind.choices, Fee.Kind.CHARGE
                ),
                "amount": _integer(errors, item.get("amount"), p + "amount"),
                "online_amount": _integer(
                    errors, item.get("online_amount"), p + "online_amount", required=False
                ),
                "per_unit_field": _text(
                    errors, item, "per_unit_field", p + "per_unit_field", max_length=100
                ),
                **_exemption(errors, item, p, form_schema),
                "note": _text(errors, item, "note", p + "note", max_length=500),
            }
        )
    return fees


def _steps(errors: _Errors, data: dict) -> list[dict]:
    """The process steps, each with the role (and, if not the receiving one, the agency) at it."""
    steps = []
    step_items = _dict_list(errors, data, "steps")
    step_agency_codes = {item.get("agency") for item in step_items if item.get("agency")}
    step_agencies = {a.code: a for a in Agency.objects.filter(code__in=step_agency_codes)}
    for i, item in enumerate(step_items):
        p = f"steps.{i}."
        agency_code = item.get("agency") or None
        if agency_code and agency_code not in step_agencies:
            errors.add(p + "agency", f"Không có cơ quan mã {agency_code!r}.")
        steps.append(
            {
                "name": _text(errors, item, "name", p + "name", required=True, max_length=300),
                "role": _choice(errors, item, "role", p + "role", OfficerRole.Role.choices),
                "agency": step_agencies.get(agency_code) if agency_code else None,
                "budget_hours": _decimal(errors, item.get("budget_hours"), p + "budget_hours"),
                "inter_agency": _bool(errors, item, "inter_agency", p + "inter_agency", False),
            }
        )
    return steps


def _comparable(cleaned: dict) -> dict:
    """What decides whether two procedure contents are the same."""
    fields = dict(cleaned["fields"])
    fields["sector"] = fields["sector"].pk
    return {
        "fields": fields,
        "agencies": sorted(a.pk for a in cleaned["agencies"]),
        "legal_bases": cleaned["legal_bases"],
        "components": cleaned["components"],
        "fees": cleaned["fees"],
        "steps": [
            {**s, "agency": s["agency"].pk if s["agency"] else None} for s in cleaned["steps"]
        ],
    }


def _search_text(name: str, code: str, sector: Sector) -> str:
    return fold(f"{name} {code} {sector.name}")


def with_property_order(schema):
    """The schema with `x-order` (its properties in the order written) on every object that
    lacks one: PostgreSQL's jsonb keeps no key order, and the e-form asks its questions in
    this order."""
    if isinstance(schema, list):
        return [with_property_order(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ordered = {key: with_property_order(value) for key, value in schema.items()}
    props = schema.get("properties")
    if isinstance(props, dict) and props and "x-order" not in schema:
        ordered["x-order"] = list(props)
    return ordered
