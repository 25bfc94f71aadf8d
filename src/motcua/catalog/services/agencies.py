"""Agencies and sectors: created or updated by code."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from motcua.core.errors import ValidationFailed

from ..codes import validate_agency_code
from ..models import AdministrativeUnit, Agency, Procedure, Sector
from .content import _search_text
from .fields import _HHMM, REQUIRED, _bool, _choice, _code_error, _Errors, _text


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
