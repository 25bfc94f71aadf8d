"""Shapes of the codes in docs/domain.md ("Codes")."""

import re

from django.core.exceptions import ValidationError

# Decision 20/2020/QĐ-TTg (amended by 09/2025): V1V2V3.Z1Z2.Y1Y2.MX1X2, unused levels zero.
AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$")
# National procedure number, e.g. 1.001193 or 2.000488.
PROCEDURE_CODE_RE = re.compile(r"^[1-3]\.\d{6}$")


def validate_agency_code(value: str) -> None:
    if len(value) > 35 or not AGENCY_CODE_RE.match(value or ""):
        raise ValidationError(
            "Mã định danh cơ quan phải có dạng V1V2V3.Z1Z2.Y1Y2.MX1X2, ví dụ 000.00.12.H26.",
            code="invalid_agency_code",
        )


def validate_procedure_code(value: str) -> None:
    if not PROCEDURE_CODE_RE.match(value or ""):
        raise ValidationError(
            "Mã thủ tục phải có dạng số quốc gia, ví dụ 1.001193.", code="invalid_procedure_code"
        )
