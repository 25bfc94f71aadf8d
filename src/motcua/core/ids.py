"""Identifiers of people and organisations: the citizen ID number (CCCD) and the tax code.

One place for both rules, used by the API, the portal, the back office and the demo.
"""

import re

from django.utils.translation import gettext_lazy as _

# Circular 07/2016/TT-BCA: the first three digits of a CCCD are the code of the province
# where the birth was registered (the provincial codes before the 2025 mergers, which
# cards keep). 12 digits in all.
ID_NUMBER_PROVINCES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
_ID_NUMBER = re.compile(r"^\d{12}$")
_TAX_CODE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
# Weights of the first nine digits of a tax code; the tenth digit is 10 - (sum mod 11).
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_PHONE = re.compile(r"^(?:\+84|0)\d{9,10}$")


def is_id_number(value: str) -> bool:
    """A 12-digit CCCD whose first three digits are a province code."""
    return bool(_ID_NUMBER.match(value or "")) and value[:3] in ID_NUMBER_PROVINCES


def tax_check_digit(first_nine: str) -> int | None:
    """The tenth digit of a tax code beginning with these nine, or None (no such code)."""
    digit = 10 - sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True)) % 11
    return digit if digit < 10 else None


def is_tax_code(value: str) -> bool:
    """A tax code: 10 digits with a valid check digit, or `10 digits-3 digits` for a branch
    (branch numbers from 001)."""
    match = _TAX_CODE.match(value or "")
    if not match:
        return False
    main, branch = match.groups()
    if branch == "000":
        return False
    return tax_check_digit(main[:9]) == int(main[9])


def normalise_tax_code(value: str) -> str:
    """Spaces dropped, and a branch's 13 digits typed without the dash (phones' number pads
    have none) written 10-3: '0100109106 001' -> '0100109106-001'."""
    value = re.sub(r"\s", "", value or "")
    if len(value) == 13 and value.isdigit():
        return f"{value[:10]}-{value[10:]}"
    return value


def with_tax_check_digit(first_nine: str) -> str | None:
    """The full 10-digit tax code for nine digits, or None when no check digit exists."""
    digit = tax_check_digit(first_nine)
    return None if digit is None else f"{first_nine}{digit}"


def normalise_phone(value: str) -> str:
    """Spaces, dots and dashes dropped: '0912 345.678' -> '0912345678'."""
    return re.sub(r"[\s.\-()]", "", value or "")


def is_phone(value: str) -> bool:
    """A Vietnamese phone number: 0 or +84 then 9-10 digits."""
    return bool(_PHONE.match(normalise_phone(value)))


ID_NUMBER_MESSAGE = _(
    "Số định danh cá nhân gồm đúng 12 chữ số, bắt đầu bằng mã tỉnh nơi đăng ký khai sinh."
)
TAX_CODE_MESSAGE = _(
    "Mã số thuế gồm 10 chữ số (chữ số cuối là số kiểm tra), hoặc 10 chữ số-3 chữ số."
)
