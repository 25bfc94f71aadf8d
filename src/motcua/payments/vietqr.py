"""VietQR: the NAPAS inter-bank transfer QR code (IBFT over EMVCo merchant-presented mode).

The payload is a run of TLV fields (2-digit tag, 2-digit length, value), nested for the
merchant account (38) and the additional data (62), and closed by a CRC-16/CCITT-FALSE
(tag 63) over everything before it, including "6304" (docs/domain.md, "Money").

`build_payload` makes the dynamic code a dossier is paid with; `parse_payload` validates any
VietQR payload a bank app would accept and returns what it says; `qr_svg` / `qr_png` draw it.
"""

import io
import re
from dataclasses import dataclass, field

import segno
from unidecode import unidecode

from motcua.core.errors import ValidationFailed

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # transfer to a bank account
SERVICE_TO_CARD = "QRIBFTTC"  # transfer to a card number
CURRENCY_VND = "704"  # ISO 4217
COUNTRY_VN = "VN"
POINT_STATIC = "11"
POINT_DYNAMIC = "12"

MAX_BILL_NUMBER = 25  # EMVCo additional data sub-fields are at most 25 characters
MAX_PURPOSE = 25
MAX_ACCOUNT = 19
MAX_AMOUNT_DIGITS = 13

_BIN = re.compile(r"\d{6}")
_ACCOUNT = re.compile(rf"[0-9A-Za-z]{{1,{MAX_ACCOUNT}}}")
_AMOUNT = re.compile(rf"[1-9]\d{{0,{MAX_AMOUNT_DIGITS - 1}}}")
_PRINTABLE = re.compile(r"[\x20-\x7e]*")
_PURPOSE_UNSAFE = re.compile(r"[^0-9A-Za-z .,\-/]+")
_SPACES = re.compile(r"\s+")


class InvalidVietQR(ValidationFailed):
    code = "invalid_vietqr"
    message = "Mã VietQR không hợp lệ."


@dataclass(frozen=True)
class VietQR:
    """What a VietQR payload says. Money is an integer number of đồng."""

    bank_bin: str
    account: str
    amount: int | None = None
    bill_number: str = ""
    purpose: str = ""
    service: str = SERVICE_TO_ACCOUNT
    dynamic: bool = True
    crc: str = ""
    # Tags we do not interpret, kept so that a parsed payload says everything it carried.
    other_fields: dict[str, str] = field(default_factory=dict)
    other_additional: dict[str, str] = field(default_factory=dict)


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no xor-out."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc


def crc_of(payload_before_crc: str) -> str:
    """The 4 upper-case hex digits that close a payload ending in "6304"."""
    return f"{crc16_ccitt_false(payload_before_crc.encode('ascii')):04X}"


def fold_purpose(text: str) -> str:
    """Transfer purpose as bank apps show it: ASCII, no diacritics, at most 25 characters."""
    ascii_text = _PURPOSE_UNSAFE.sub(" ", unidecode(text or ""))
    return _SPACES.sub(" ", ascii_text).strip()[:MAX_PURPOSE].rstrip()


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise InvalidVietQR(f"Trường {tag} dài quá 99 ký tự.")
    return f"{tag}{len(value):02d}{value}"


def build_payload(
    *,
    bank_bin: str,
    account: str,
    amount: int,
    bill_number: str = "",
    purpose: str = "",
) -> str:
    """The dynamic VietQR payload for a transfer of `amount` đồng to `account` at `bank_bin`.

    The purpose is folded to ASCII and cut to 25 characters; every other field must already
    be valid (InvalidVietQR names the one that is not).
    """
    problems: dict[str, list[str]] = {}
    if not _BIN.fullmatch(bank_bin or ""):
        problems["bank_bin"] = ["Mã BIN ngân hàng phải gồm đúng 6 chữ số."]
    if not _ACCOUNT.fullmatch(account or ""):
        problems["account"] = [f"Số tài khoản gồm 1–{MAX_ACCOUNT} chữ số hoặc chữ cái Latinh."]
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or not _AMOUNT.fullmatch(str(amount))
    ):
        problems["amount"] = [f"Số tiền là số nguyên dương, tối đa {MAX_AMOUNT_DIGITS} chữ số."]
    if len(bill_number) > MAX_BILL_NUMBER or not _PRINTABLE.fullmatch(bill_number):
        problems["bill_number"] = [f"Số hóa đơn gồm tối đa {MAX_BILL_NUMBER} ký tự ASCII in được."]
    if problems:
        raise InvalidVietQR(fields=problems)

    account_info = (
        _tlv("00", NAPAS_GUID)
        + _tlv("01", _tlv("00", bank_bin) + _tlv("01", account))
        + _tlv("02", SERVICE_TO_ACCOUNT)
    )
    additional = ""
    if bill_number:
        additional += _tlv("01", bill_number)
    folded = fold_purpose(purpose)
    if folded:
        additional += _tlv("08", folded)
    body = (
        _tlv("00", "01")
        + _tlv("01", POINT_DYNAMIC)
        + _tlv("38", account_info)
        + _tlv("53", CURRENCY_VND)
        + _tlv("54", str(amount))
        + _tlv("58", COUNTRY_VN)
        + (_tlv("62", additional) if additional else "")
        + "6304"
    )
    return body + crc_of(body)


def split_tlv(data: str, where: str = "") -> list[tuple[str, str]]:
    """The (tag, value) pairs of a TLV run, in order; InvalidVietQR on a malformed run."""
    fields: list[tuple[str, str]] = []
    pos = 0
    while pos < len(data):
        header = data[pos : pos + 4]
        if len(header) < 4 or not header.isdigit():
            raise InvalidVietQR(f"Mã VietQR hỏng{where}: thiếu mã trường và độ dài ở vị trí {pos}.")
        tag, length = header[:2], int(header[2:])
        value = data[pos + 4 : pos + 4 + length]
        if len(value) < length:
            raise InvalidVietQR(
                f"Mã VietQR hỏng{where}: trường {tag} khai báo {length} ký tự "
                f"nhưng chỉ còn {len(value)}."
            )
        fields.append((tag, value))
        pos += 4 + length
    return fields


def _unique(fields: list[tuple[str, str]], where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag, value in fields:
        if tag in out:
            raise InvalidVietQR(f"Mã VietQR hỏng: trường {where}{tag} xuất hiện hai lần.")
        out[tag] = value
    return out


def _require(fields: dict[str, str], tag: str, where: str = "") -> str:
    if tag not in fields:
        raise InvalidVietQR(f"Mã VietQR thiếu trường bắt buộc {where}{tag}.")
    return fields[tag]


def parse_payload(payload: str) -> VietQR:
    """Validate a VietQR payload (structure, CRC, required fields) and say what it holds."""
    if not isinstance(payload, str) or not payload:
        raise InvalidVietQR("Mã VietQR rỗng.")
    if not _PRINTABLE.fullmatch(payload):
        raise InvalidVietQR("Mã VietQR chỉ gồm ký tự ASCII in được.")
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise InvalidVietQR("Mã VietQR phải kết thúc bằng trường CRC 63 dài 4 ký tự.")
    expected = crc_of(payload[:-4])
    if payload[-4:] != expected:
        raise InvalidVietQR(f"Sai mã kiểm tra CRC: mã ghi {payload[-4:]}, tính được {expected}.")

    top_list = split_tlv(payload)
    if top_list[0][0] != "00":
        raise InvalidVietQR("Mã VietQR phải bắt đầu bằng trường 00.")
    if top_list[-1] != ("63", payload[-4:]):
        raise InvalidVietQR("Trường CRC 63 phải là trường cuối cùng.")
    top = _unique(top_list, "")
    if _require(top, "00") != "01":
        raise InvalidVietQR("Phiên bản định dạng (trường 00) phải là 01.")
    point = _require(top, "01")
    if point not in (POINT_STATIC, POINT_DYNAMIC):
        raise InvalidVietQR("Trường 01 phải là 11 (mã tĩnh) hoặc 12 (mã động).")

    merchant = _unique(split_tlv(_require(top, "38"), " trong trường 38"), "38.")
    if _require(merchant, "00", "38.") != NAPAS_GUID:
        raise InvalidVietQR(f"Trường 38.00 phải là định danh NAPAS {NAPAS_GUID}.")
    beneficiary = _unique(
        split_tlv(_require(merchant, "01", "38."), " trong trường 38.01"), "38.01."
    )
    bank_bin = _require(beneficiary, "00", "38.01.")
    if not _BIN.fullmatch(bank_bin):
        raise InvalidVietQR("Mã BIN ngân hàng (38.01.00) phải gồm đúng 6 chữ số.")
    account = _require(beneficiary, "01", "38.01.")
    if not _ACCOUNT.fullmatch(account):
        raise InvalidVietQR("Số tài khoản hoặc số thẻ (38.01.01) không hợp lệ.")
    service = _require(merchant, "02", "38.")
    if service not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        raise InvalidVietQR(
            f"Mã dịch vụ (38.02) phải là {SERVICE_TO_ACCOUNT} hoặc {SERVICE_TO_CARD}."
        )

    if _require(top, "53") != CURRENCY_VND:
        raise InvalidVietQR("Đơn vị tiền tệ (trường 53) phải là 704 (đồng Việt Nam).")
    if _require(top, "58") != COUNTRY_VN:
        raise InvalidVietQR("Mã quốc gia (trường 58) phải là VN.")
    amount = None
    if "54" in top:
        if not _AMOUNT.fullmatch(top["54"]):
            raise InvalidVietQR("Số tiền (trường 54) phải là số nguyên dương đồng.")
        amount = int(top["54"])

    additional = _unique(split_tlv(top.get("62", ""), " trong trường 62"), "62.")
    bill_number = additional.pop("01", "")
    purpose = additional.pop("08", "")
    return VietQR(
        bank_bin=bank_bin,
        account=account,
        amount=amount,
        bill_number=bill_number,
        purpose=purpose,
        service=service,
        dynamic=point == POINT_DYNAMIC,
        crc=payload[-4:],
        other_fields={
            tag: value
            for tag, value in top.items()
            if tag not in {"00", "01", "38", "53", "54", "58", "62", "63"}
        },
        other_additional=additional,
    )


def _qr(payload: str) -> segno.QRCode:
    # Medium error correction: readable on a cracked phone screen, still a small symbol.
    return segno.make_qr(payload, error="m")


def qr_svg(payload: str, *, scale: int = 6, title: str = "VietQR") -> bytes:
    out = io.BytesIO()
    _qr(payload).save(out, kind="svg", scale=scale, border=4, title=title, xmldecl=False)
    return out.getvalue()


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    _qr(payload).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
