"""VietQR payloads (domain.md "Money"): the public example, round trips, tampering, images."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.payments import vietqr
from motcua.payments.vietqr import InvalidVietQR, build_payload, parse_payload

PUBLIC_EXAMPLE = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)


def test_crc_is_ccitt_false():
    # The catalogue check value of CRC-16/CCITT-FALSE.
    assert vietqr.crc16_ccitt_false(b"123456789") == 0x29B1


def test_public_example_verifies_and_parses():
    qr = parse_payload(PUBLIC_EXAMPLE)
    assert qr.crc == "C15C"
    assert (qr.bank_bin, qr.account, qr.amount) == ("970415", "0011001932418", 120000)
    assert qr.purpose == "ung ho lu lut"
    assert qr.bill_number == ""
    assert qr.dynamic and qr.service == "QRIBFTTA"


def test_build_reproduces_the_public_example():
    payload = build_payload(
        bank_bin="970415", account="0011001932418", amount=120000, purpose="ủng hộ lũ lụt"
    )
    assert payload == PUBLIC_EXAMPLE


def test_layout_of_a_dossier_payment():
    payload = build_payload(
        bank_bin="970436",
        account="0071000123456",
        amount=8000,
        bill_number="000.00.12.H26-240115-0001",
        purpose="Lệ phí đăng ký khai sinh",
    )
    assert payload.startswith("000201010212")
    fields = dict(vietqr.split_tlv(payload))
    assert fields["38"] == "0010A00000072701270006970436011300710001234560208QRIBFTTA"
    assert fields["53"] == "704" and fields["54"] == "8000" and fields["58"] == "VN"
    assert fields["62"] == "0125000.00.12.H26-240115-00010824Le phi dang ky khai sinh"
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == payload[-4:].upper()


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Lệ phí đăng ký khai sinh", "Le phi dang ky khai sinh"),
        ("ĐĂNG KÝ  kết hôn!!", "DANG KY ket hon"),
        ("Phí thẩm định hồ sơ cấp giấy phép xây dựng", "Phi tham dinh ho so cap g"),
        ("", ""),
    ],
)
def test_purpose_is_folded_to_ascii_and_25_characters(text, folded):
    assert vietqr.fold_purpose(text) == folded
    assert len(vietqr.fold_purpose(text)) <= 25


bins = st.from_regex(r"\A[0-9]{6}\Z")
accounts = st.from_regex(r"\A[0-9A-Za-z]{1,19}\Z")
amounts = st.integers(min_value=1, max_value=10**13 - 1)
bill_numbers = st.text(alphabet=string.ascii_letters + string.digits + ".-/ ", max_size=25)


@given(bank_bin=bins, account=accounts, amount=amounts, bill=bill_numbers, purpose=st.text())
def test_round_trip(bank_bin, account, amount, bill, purpose):
    payload = build_payload(
        bank_bin=bank_bin, account=account, amount=amount, bill_number=bill, purpose=purpose
    )
    qr = parse_payload(payload)
    assert (qr.bank_bin, qr.account, qr.amount, qr.bill_number) == (
        bank_bin,
        account,
        amount,
        bill,
    )
    assert qr.purpose == vietqr.fold_purpose(purpose)
    assert payload.isascii()


@given(position=st.integers(min_value=0, max_value=len(PUBLIC_EXAMPLE) - 1), data=st.data())
def test_tampering_any_character_fails(position, data):
    original = PUBLIC_EXAMPLE[position]
    replacement = data.draw(
        st.sampled_from([c for c in string.ascii_letters + string.digits + " " if c != original])
    )
    tampered = PUBLIC_EXAMPLE[:position] + replacement + PUBLIC_EXAMPLE[position + 1 :]
    with pytest.raises(InvalidVietQR) as exc:
        parse_payload(tampered)
    if position < len(PUBLIC_EXAMPLE) - 8:
        assert "CRC" in exc.value.message


def test_every_single_character_change_is_caught():
    for position in range(len(PUBLIC_EXAMPLE)):
        for replacement in "0A9z ":
            if PUBLIC_EXAMPLE[position] == replacement:
                continue
            tampered = PUBLIC_EXAMPLE[:position] + replacement + PUBLIC_EXAMPLE[position + 1 :]
            with pytest.raises(InvalidVietQR):
                parse_payload(tampered)


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _payload(**overrides: str | None) -> str:
    """A payload assembled field by field; an override of None leaves the field out."""
    fields = {
        "00": "01",
        "01": "12",
        "38": _tlv("00", overrides.pop("guid", "A000000727"))
        + _tlv("01", _tlv("00", overrides.pop("bin", "970415")) + _tlv("01", "12345"))
        + _tlv("02", overrides.pop("service", "QRIBFTTA")),
        "53": "704",
        "54": "8000",
        "58": "VN",
    }
    fields.update(overrides)
    body = "".join(_tlv(tag, value) for tag, value in fields.items() if value is not None)
    body += "6304"
    return body + vietqr.crc_of(body)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"38": None}, "38"),
        ({"00": "02"}, "00"),
        ({"01": "13"}, "01"),
        ({"53": "840"}, "704"),
        ({"58": "US"}, "VN"),
        ({"58": None}, "58"),
        ({"bin": "97041"}, "BIN"),
        ({"guid": "A000000999"}, "NAPAS"),
        ({"service": "QRPUSH"}, "38.02"),
        ({"54": "12.50"}, "54"),
        ({"54": "0"}, "54"),
        ({"62": "0130abc"}, "62"),
    ],
)
def test_structural_errors_are_named(overrides, message):
    with pytest.raises(InvalidVietQR) as exc:
        parse_payload(_payload(**overrides))
    assert message in exc.value.message


def test_assembled_payload_is_valid():
    qr = parse_payload(_payload())
    assert (qr.bank_bin, qr.account, qr.amount) == ("970415", "12345", 8000)


def test_static_code_without_amount_is_valid():
    qr = parse_payload(_payload(**{"01": "11", "54": None}))
    assert qr.amount is None and not qr.dynamic and qr.account == "12345"


def test_crc_must_be_its_own_last_field():
    # "6304" and a right CRC at the end, but inside another field's value.
    body = _payload()[:-8] + "9908" + "6304"
    sneaky = body + vietqr.crc_of(body)
    with pytest.raises(InvalidVietQR) as exc:
        parse_payload(sneaky)
    assert "63" in exc.value.message


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bank_bin": "97041", "account": "123", "amount": 1000},
        {"bank_bin": "970415", "account": "12 3", "amount": 1000},
        {"bank_bin": "970415", "account": "1" * 20, "amount": 1000},
        {"bank_bin": "970415", "account": "123", "amount": 0},
        {"bank_bin": "970415", "account": "123", "amount": -5},
        {"bank_bin": "970415", "account": "123", "amount": 10**13},
        {"bank_bin": "970415", "account": "123", "amount": 1000, "bill_number": "x" * 26},
        {"bank_bin": "970415", "account": "123", "amount": 1000, "bill_number": "hồ sơ"},
    ],
)
def test_build_refuses_invalid_fields(kwargs):
    with pytest.raises(InvalidVietQR) as exc:
        build_payload(**kwargs)
    assert exc.value.fields


@pytest.mark.parametrize("payload", ["", "hello", "0002016304ABCD", PUBLIC_EXAMPLE + "x"])
def test_garbage_is_refused(payload):
    with pytest.raises(InvalidVietQR):
        parse_payload(payload)


def test_qr_images():
    svg = vietqr.qr_svg(PUBLIC_EXAMPLE)
    png = vietqr.qr_png(PUBLIC_EXAMPLE)
    assert svg.lstrip().startswith(b"<svg") and b"VietQR" in svg
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
