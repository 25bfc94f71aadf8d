"""Citizen ID numbers and tax codes (domain.md, Codes)."""

import pytest

from motcua.core import ids


@pytest.mark.parametrize("value", ["001079003817", "010195006632", "096300000001"])
def test_id_numbers_with_a_province_code_are_valid(value):
    assert ids.is_id_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "00107900381",
        "0010790038170",
        "00107900381a",
        "000079003817",
        "003079003817",
        "097000000001",
    ],
)
def test_id_numbers_of_the_wrong_length_or_province_are_refused(value):
    assert not ids.is_id_number(value)


@pytest.mark.parametrize("value", ["0100109106", "0100109106-001", "0101243150"])
def test_tax_codes_with_the_right_check_digit_are_valid(value):
    # 0100109106 is Viettel's published tax code; branches add -001 … -999.
    assert ids.is_tax_code(value)


@pytest.mark.parametrize(
    "value",
    ["0100109105", "0100109107", "0100109106-000", "0100109106-1", "010010910", "abcdefghij"],
)
def test_tax_codes_with_a_wrong_check_digit_or_shape_are_refused(value):
    assert not ids.is_tax_code(value)


def test_every_nine_digits_give_at_most_one_tax_code():
    assert ids.with_tax_check_digit("010010910") == "0100109106"
    # sum mod 11 == 0 would need a check digit of 10: no such tax code exists.
    nine = next(f"{n:09d}" for n in range(10**6) if ids.tax_check_digit(f"{n:09d}") is None)
    assert ids.with_tax_check_digit(nine) is None


@pytest.mark.parametrize("value", ["0912345678", "0912 345 678", "+84912345678", "02143812345"])
def test_vietnamese_phone_numbers(value):
    assert ids.is_phone(value)


@pytest.mark.parametrize("value", ["912345678", "09123", "+1 555 123 4567", "09123456789012"])
def test_other_phone_numbers_are_refused(value):
    assert not ids.is_phone(value)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("0100109106001", "0100109106-001"),
        ("0100109106 001", "0100109106-001"),
        ("0100109106-001", "0100109106-001"),
        (" 0100109106 ", "0100109106"),
        ("001079003817", "001079003817"),  # an ID number is left as it is
    ],
)
def test_a_branch_tax_code_typed_without_its_dash_gets_it(typed, written):
    # Phones' number pads have no dash: the 13 digits alone must do.
    assert ids.normalise_tax_code(typed) == written
