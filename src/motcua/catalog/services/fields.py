"""Cleaning of the catalog's input, one field at a time: each function returns the clean value
and adds what is wrong to an `_Errors`, so that one answer names every faulty field."""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.core.errors import ValidationFailed

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
