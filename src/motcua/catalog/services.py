"""Changes to the catalog: agencies, sectors, administrative units, procedures and versions.

A published procedure is never edited in place: a change makes a new version (the old one is
`superseded` and linked as `previous_version`), so dossiers keep the version they started with.
"""

import logging
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from motcua.core.errors import ActionNotAllowed, ValidationFailed
from motcua.core.text import fold

from .codes import validate_agency_code, validate_procedure_code
from .models import (
    AdministrativeUnit,
    Agency,
    ComponentSpec,
    Fee,
    LegalBasis,
    OfficerRole,
    Procedure,
    Sector,
    Step,
    TimeUnit,
)
from .queries import PROCEDURE_DICT_PREFETCH, procedure_as_dict

log = logging.getLogger("motcua.catalog")

CHANNELS = ("counter", "online", "post")
APPLICANT_KINDS = ("citizen", "organisation")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

REQUIRED = "Bắt buộc nhập."


class _Errors:
    """Collects problems per field so that one answer names them all."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(fields=self.fields)


def _text(errors: _Errors, data: dict, key: str, field: str, *, required=False, max_length=None):
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, "Phải là chuỗi ký tự.")
        return ""
    value = value.strip()
    if required and not value:
        errors.add(field, REQUIRED)
    if max_length and len(value) > max_length:
        errors.add(field, f"Tối đa {max_length} ký tự.")
    return value


def _bool(errors: _Errors, data: dict, key: str, field: str, default: bool) -> bool:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        errors.add(field, "Phải là true hoặc false.")
        return default
    return value


def _choice(errors: _Errors, data: dict, key: str, field: str, choices, default=None) -> str:
    value = data.get(key, default)
    allowed = [c[0] for c in choices] if choices and isinstance(choices[0], tuple) else choices
    if value not in allowed:
        errors.add(field, f"Giá trị không hợp lệ: phải là một trong {', '.join(allowed)}.")
        return default or ""
    return value


def _choice_list(errors: _Errors, data: dict, key: str, field: str, allowed) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or any(v not in allowed for v in value):
        errors.add(field, f"Phải là danh sách trong {', '.join(allowed)}.")
        return []
    return list(dict.fromkeys(value))


def _decimal(errors: _Errors, value: Any, field: str, *, required=True) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors.add(field, REQUIRED)
        return None
    if isinstance(value, bool):
        errors.add(field, "Phải là số.")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors.add(field, "Phải là số.")
        return None
    if not number.is_finite() or number < 0 or number >= Decimal("100000"):
        errors.add(field, "Phải là số không âm, nhỏ hơn 100000.")
        return None
    return number.quantize(Decimal("0.01"))


def _integer(errors: _Errors, value: Any, field: str, *, required=True, minimum=0) -> int | None:
    if value is None or value == "":
        if required:
            errors.add(field, REQUIRED)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            errors.add(field, "Phải là số nguyên.")
            return None
    if value < minimum:
        errors.add(field, f"Phải lớn hơn hoặc bằng {minimum}.")
        return None
    return value


def _date(errors: _Errors, value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, "Ngày không hợp lệ (YYYY-MM-DD).")
        return None


def _datetime(errors: _Errors, value: Any, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value))
        except ValueError:
            errors.add(field, "Thời điểm không hợp lệ (ISO 8601).")
            return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _hhmm(errors: _Errors, value: Any, field: str) -> time | None:
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if not isinstance(value, str) or not _HHMM.match(value):
        errors.add(field, "Giờ không hợp lệ (HH:MM).")
        return None
    return time.fromisoformat(value)


def _code_error(validator, value: str) -> str | None:
    try:
        validator(value)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def _dict_list(errors: _Errors, data: dict, key: str) -> list[dict]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        errors.add(key, "Phải là danh sách các đối tượng.")
        return []
    return value


def _form_field(schema: dict, path: str) -> dict | None:
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
        if form_schema and _form_field(form_schema, field) is None:
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

    for key in ("steps_text", "submission_text", "applicant_text", "requirements_text"):
        fields[key] = _text(errors, data, key, key)
    fields["fee_text"] = _text(errors, data, "fee_text", "fee_text")
    fields["channels"] = _choice_list(errors, data, "channels", "channels", CHANNELS)
    fields["applicant_kinds"] = _choice_list(
        errors, data, "applicant_kinds", "applicant_kinds", APPLICANT_KINDS
    )

    processing = data.get("processing_time") or {}
    if not isinstance(processing, dict):
        errors.add("processing_time", "Phải là đối tượng {value, unit, cutoff, text}.")
        processing = {}
    fields["processing_time_value"] = _decimal(
        errors, processing.get("value"), "processing_time.value"
    )
    fields["processing_time_unit"] = _choice(
        errors, processing, "unit", "processing_time.unit", TimeUnit.choices, TimeUnit.WORKING_DAYS
    )
    fields["cutoff_time"] = _hhmm(errors, processing.get("cutoff"), "processing_time.cutoff")
    fields["processing_time_text"] = _text(
        errors, processing, "text", "processing_time.text", max_length=500
    )

    fields["payment_due"] = _choice(
        errors,
        data,
        "payment_due",
        "payment_due",
        Procedure.PaymentDue.choices,
        Procedure.PaymentDue.AT_SUBMISSION,
    )
    fields["result_type"] = _text(errors, data, "result_type", "result_type", max_length=500)
    fields["result_is_document"] = _bool(
        errors, data, "result_is_document", "result_is_document", True
    )
    fields["online_level"] = _choice(
        errors,
        data,
        "online_level",
        "online_level",
        Procedure.OnlineLevel.choices,
        Procedure.OnlineLevel.NONE,
    )
    fields["full_process_eligible"] = _bool(
        errors, data, "full_process_eligible", "full_process_eligible", False
    )
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
    fields["publication_decision"] = _text(
        errors, data, "publication_decision", "publication_decision", max_length=200
    )
    fields["publication_date"] = _date(errors, data.get("publication_date"), "publication_date")
    fields["made_public_at"] = _datetime(errors, data.get("made_public_at"), "made_public_at")

    legal_bases = []
    for i, item in enumerate(_dict_list(errors, data, "legal_bases")):
        legal_bases.append(
            {
                "number": _text(
                    errors, item, "number", f"legal_bases.{i}.number", required=True, max_length=100
                ),
                "title": _text(
                    errors, item, "title", f"legal_bases.{i}.title", required=True, max_length=500
                ),
                "issuer": _text(errors, item, "issuer", f"legal_bases.{i}.issuer", max_length=200),
                "issued_on": _date(errors, item.get("issued_on"), f"legal_bases.{i}.issued_on"),
                "effective_on": _date(
                    errors, item.get("effective_on"), f"legal_bases.{i}.effective_on"
                ),
            }
        )
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
                "note": _text(errors, item, "note", p + "note"),
            }
        )
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
                **_exemption(errors, item, p, fields["form_schema"]),
                "note": _text(errors, item, "note", p + "note", max_length=500),
            }
        )
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
    errors.raise_if_any()
    return {
        "fields": fields,
        "agencies": agencies,
        "legal_bases": legal_bases,
        "components": components,
        "fees": fees,
        "steps": steps,
    }


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


def _write(procedure: Procedure, cleaned: dict) -> Procedure:
    """Store the cleaned content on `procedure` (saved) and replace its children."""
    for key, value in cleaned["fields"].items():
        setattr(procedure, key, value)
    procedure.search_text = _search_text(procedure.name, procedure.code, procedure.sector)
    procedure.save()
    procedure.agencies.set(cleaned["agencies"])
    for model, key in (
        (LegalBasis, "legal_bases"),
        (ComponentSpec, "components"),
        (Fee, "fees"),
        (Step, "steps"),
    ):
        model.objects.filter(procedure=procedure).delete()
        model.objects.bulk_create(
            model(procedure=procedure, order=i, **item) for i, item in enumerate(cleaned[key])
        )
    return procedure


def _latest_version(code: str, *, lock: bool = True) -> Procedure | None:
    rows = Procedure.objects.filter(code=code).order_by("-version")
    if lock:
        rows = rows.select_for_update()
    return rows.first()


def _current_content(procedure: Procedure) -> dict:
    fresh = (
        Procedure.objects.select_related("sector")
        .prefetch_related(*PROCEDURE_DICT_PREFETCH)
        .get(pk=procedure.pk)
    )
    return procedure_as_dict(fresh)


def _new_version(previous: Procedure, cleaned: dict, status: str) -> Procedure:
    if previous.status == Procedure.Status.PUBLISHED and status == Procedure.Status.PUBLISHED:
        previous.status = Procedure.Status.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
    procedure = Procedure(
        code=previous.code, version=previous.version + 1, previous_version=previous, status=status
    )
    return _write(procedure, cleaned)


def _supersede_published(code: str, keep: Procedure) -> None:
    for old in Procedure.objects.filter(code=code, status=Procedure.Status.PUBLISHED).exclude(
        pk=keep.pk
    ):
        old.status = Procedure.Status.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])


def _retrying_once(change):
    """Run `change` in a savepoint; if another transaction created the same version first
    (unique code+version), run it again against what that one committed."""

    def run(data: dict, *, actor=None) -> Procedure:
        try:
            with transaction.atomic():
                return change(data, actor=actor)
        except IntegrityError:
            with transaction.atomic():
                return change(data, actor=actor)

    run.__doc__ = change.__doc__
    return run


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


@_retrying_once
def import_procedure(data: dict, *, actor=None) -> Procedure:
    """Create or update a procedure from the catalog dict and publish it.

    Keys left out keep the current version's values (or the model defaults for a new
    procedure). The same content again changes nothing; other content on a published
    procedure makes a new published version.
    """
    code = data.get("code") if isinstance(data, dict) else None
    latest = _latest_version(code) if isinstance(code, str) else None
    if latest is None:
        cleaned = _clean_procedure(data)
        procedure = _write(Procedure(status=Procedure.Status.PUBLISHED), cleaned)
        log.info("procedure_imported", extra={"code": procedure.code, "version": 1})
        return procedure
    current = _current_content(latest)
    cleaned = _clean_procedure({**current, **data})
    if latest.status == Procedure.Status.DRAFT:
        _write(latest, cleaned)
        return publish_procedure(latest, actor=actor)
    if latest.status == Procedure.Status.PUBLISHED and _comparable(cleaned) == _comparable(
        _clean_procedure(current)
    ):
        return latest
    procedure = _new_version(latest, cleaned, Procedure.Status.PUBLISHED)
    log.info("procedure_imported", extra={"code": procedure.code, "version": procedure.version})
    return procedure


@transaction.atomic
def revise_procedure(procedure: Procedure, changes: dict, actor=None) -> Procedure:
    """Apply `changes` (keys of the catalog dict) to a procedure.

    A draft is edited in place. A published procedure gets a new published version with the
    unchanged parts (legal bases, components, fees, steps) copied; no change, no new version.
    Superseded and abolished versions are history and cannot be edited.
    """
    latest = _latest_version(procedure.code)
    if latest.pk != procedure.pk or procedure.status not in (
        Procedure.Status.DRAFT,
        Procedure.Status.PUBLISHED,
    ):
        raise ActionNotAllowed("Chỉ sửa được phiên bản mới nhất đang áp dụng hoặc bản nháp.")
    if "code" in changes and changes["code"] != procedure.code:
        raise ValidationFailed(fields={"code": ["Không được đổi mã thủ tục."]})
    current = _current_content(latest)
    cleaned = _clean_procedure({**current, **changes})
    if latest.status == Procedure.Status.DRAFT:
        return _write(latest, cleaned)
    if _comparable(cleaned) == _comparable(_clean_procedure(current)):
        return latest
    revised = _new_version(latest, cleaned, Procedure.Status.PUBLISHED)
    log.info(
        "procedure_revised",
        extra={
            "code": revised.code,
            "version": revised.version,
            "actor": getattr(actor, "pk", None),
        },
    )
    return revised


@_retrying_once
def create_draft(data: dict, *, actor=None) -> Procedure:
    """A new procedure, or a new draft version of an existing one, not yet public."""
    code = data.get("code") if isinstance(data, dict) else None
    latest = _latest_version(code) if isinstance(code, str) else None
    if latest is None:
        return _write(Procedure(status=Procedure.Status.DRAFT), _clean_procedure(data))
    if latest.status == Procedure.Status.DRAFT:
        raise ActionNotAllowed("Thủ tục này đã có một bản nháp.")
    cleaned = _clean_procedure({**_current_content(latest), **data})
    return _new_version(latest, cleaned, Procedure.Status.DRAFT)


def _transition(procedure: Procedure, target: str, source: str, refusal: str):
    """Lock the row; None when already in `target`, else the row if it may move."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.status == target:
        return None, procedure
    if procedure.status != source:
        raise ActionNotAllowed(refusal)
    return procedure, procedure


@transaction.atomic
def publish_procedure(procedure: Procedure, *, actor=None) -> Procedure:
    """Publish a draft; the version published before it becomes superseded."""
    draft, current = _transition(
        procedure, Procedure.Status.PUBLISHED, Procedure.Status.DRAFT, "Chỉ công bố được bản nháp."
    )
    if draft is None:
        return current
    _supersede_published(draft.code, keep=draft)
    draft.status = Procedure.Status.PUBLISHED
    draft.made_public_at = draft.made_public_at or timezone.now()
    draft.save(update_fields=["status", "made_public_at", "updated_at"])
    log.info("procedure_published", extra={"code": draft.code, "version": draft.version})
    return draft


@transaction.atomic
def abolish_procedure(procedure: Procedure, *, actor=None) -> Procedure:
    """Withdraw a published procedure (bãi bỏ): it leaves the public catalog."""
    published, current = _transition(
        procedure,
        Procedure.Status.ABOLISHED,
        Procedure.Status.PUBLISHED,
        "Chỉ bãi bỏ được thủ tục đang áp dụng.",
    )
    if published is None:
        return current
    published.status = Procedure.Status.ABOLISHED
    published.save(update_fields=["status", "updated_at"])
    log.info("procedure_abolished", extra={"code": published.code, "version": published.version})
    return published


def _office_hours(errors: _Errors, value: Any) -> list[list[str]] | None:
    if value is None:
        return None
    valid = isinstance(value, list) and bool(value)
    previous_end = ""
    for period in value if isinstance(value, list) else []:
        if (
            not isinstance(period, list | tuple)
            or len(period) != 2
            or not all(isinstance(t, str) and _HHMM.match(t) for t in period)
            or not previous_end <= period[0] < period[1]
        ):
            valid = False
            break
        previous_end = period[1]
    if not valid:
        errors.add(
            "office_hours",
            'Phải là các khoảng giờ tăng dần, ví dụ [["08:00", "12:00"], ["13:00", "17:00"]].',
        )
        return None
    return [list(period) for period in value]


def clean_office_hours(value: Any) -> list[list[str]]:
    """Check agency office hours (ascending HH:MM periods); ValidationFailed otherwise."""
    errors = _Errors()
    hours = _office_hours(errors, value if value is not None else [])
    errors.raise_if_any()
    return hours


@transaction.atomic
def upsert_agency(data: dict) -> Agency:
    """Create or update an agency by its code; keys left out keep their values."""
    errors = _Errors()
    code = _text(errors, data, "code", "code", required=True)
    if code and (message := _code_error(validate_agency_code, code)):
        errors.add("code", message)
    agency = Agency.objects.select_for_update().filter(code=code).first() or Agency(code=code)
    values: dict[str, Any] = {}
    if "name" in data or agency.pk is None:
        values["name"] = _text(errors, data, "name", "name", required=True, max_length=255)
    if "level" in data or agency.pk is None:
        values["level"] = _choice(errors, data, "level", "level", Agency.Level.choices)
    for key, length in (("short_name", 100), ("address", 300), ("hotline", 30)):
        if key in data:
            values[key] = _text(errors, data, key, key, max_length=length)
    for key in ("email", "website"):
        if key in data:
            values[key] = _text(errors, data, key, key, max_length=254 if key == "email" else 200)
    if "parent" in data:
        parent_code = data["parent"]
        values["parent"] = Agency.objects.filter(code=parent_code).first() if parent_code else None
        if parent_code and values["parent"] is None:
            errors.add("parent", f"Không có cơ quan mã {parent_code!r}.")
        elif parent_code == code:
            errors.add("parent", "Cơ quan không thể là cấp trên của chính nó.")
    if "unit" in data:
        unit_code = data["unit"]
        values["unit"] = (
            AdministrativeUnit.objects.filter(code=unit_code).first() if unit_code else None
        )
        if unit_code and values["unit"] is None:
            errors.add("unit", f"Không có đơn vị hành chính mã {unit_code!r}.")
    if "office_hours" in data:
        hours = _office_hours(errors, data["office_hours"])
        if hours is not None:
            values["office_hours"] = hours
    if "is_active" in data:
        values["is_active"] = _bool(errors, data, "is_active", "is_active", True)
    errors.raise_if_any()
    changed = agency.pk is None
    for key, value in values.items():
        if getattr(agency, key) != value:
            setattr(agency, key, value)
            changed = True
    if changed:
        try:
            agency.full_clean(exclude=["code", "parent", "unit"], validate_unique=False)
        except ValidationError as exc:
            raise ValidationFailed(fields=exc.message_dict) from exc
        agency.save()
    return agency


@transaction.atomic
def upsert_sector(code: str, name: str, name_en: str = "") -> Sector:
    """Create or rename a sector; renaming refreshes its procedures' search text."""
    errors = _Errors()
    if not code or slugify(code) != code:
        errors.add("code", "Mã lĩnh vực chỉ gồm chữ thường không dấu, số và gạch nối.")
    if not (name or "").strip():
        errors.add("name", REQUIRED)
    errors.raise_if_any()
    sector, created = Sector.objects.get_or_create(
        code=code, defaults={"name": name.strip(), "name_en": name_en.strip()}
    )
    if created or (sector.name, sector.name_en) == (name.strip(), name_en.strip()):
        return sector
    renamed = sector.name != name.strip()
    sector.name, sector.name_en = name.strip(), name_en.strip()
    sector.save()
    if renamed:
        procedures = list(sector.procedures.all())
        for procedure in procedures:
            procedure.search_text = _search_text(procedure.name, procedure.code, sector)
        Procedure.objects.bulk_update(procedures, ["search_text"])
    return sector


@transaction.atomic
def load_administrative_units(province_codes: list[str] | None = None) -> int:
    """Load provinces and their communes from `vietnam-provinces`; returns the row count."""
    from vietnam_provinces import Province, Ward

    provinces = {f"{int(p.code):02d}": p for p in Province.iter_all()}
    if province_codes is not None:
        unknown = [c for c in province_codes if c not in provinces]
        if unknown:
            raise ValidationFailed(
                fields={"province_codes": [f"Không có tỉnh mã: {', '.join(unknown)}."]}
            )
        provinces = {c: provinces[c] for c in province_codes}
    _sync_units(
        {code: (p, None) for code, p in provinces.items()}, AdministrativeUnit.Level.PROVINCE
    )
    province_ids = dict(
        AdministrativeUnit.objects.filter(code__in=provinces).values_list("code", "pk")
    )
    wards = {}
    for w in Ward.iter_all():
        province_code = f"{int(w.province_code):02d}"
        if province_code in provinces:
            wards[f"{int(w.code):05d}"] = (w, province_ids[province_code])
    _sync_units(wards, AdministrativeUnit.Level.COMMUNE)
    return AdministrativeUnit.objects.count()


def _sync_units(sources: dict, level: str) -> None:
    """Create the missing units and update the changed ones, in bulk."""
    existing = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=list(sources))}
    new_rows, changed = [], []
    for code, (source, province_id) in sources.items():
        values = {
            "name": source.name,
            "division_type": source.division_type.value,
            "codename": source.codename,
            "level": level,
            "province_id": province_id,
        }
        row = existing.get(code)
        if row is None:
            new_rows.append(AdministrativeUnit(code=code, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    AdministrativeUnit.objects.bulk_create(new_rows, batch_size=500)
    AdministrativeUnit.objects.bulk_update(
        changed, ["name", "division_type", "codename", "level", "province"], batch_size=500
    )
