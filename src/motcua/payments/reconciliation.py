"""Reconciliation: a bank statement (CSV) matched against an agency's payments.

Each credit line is matched by transaction id, else by the bill number (the dossier code)
found in its description, then checked on the amount. The report lists what matched, what
did not, what differs, the payments the gateway reported that the statement lacks, and the
gateway notifications that were not acted on (wrong amount, already paid, unknown bill).
Reading the statement changes nothing.
"""

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from motcua.catalog.models import Agency, OfficerRole
from motcua.core.errors import Forbidden, NotFound, ValidationFailed
from motcua.core.text import fold
from motcua.dossiers.queries import officer_roles

from .models import GatewayNotification, Payment

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 50_000
READERS = frozenset({OfficerRole.Role.RECEPTION, OfficerRole.Role.LEADER, OfficerRole.Role.MONITOR})

# Header names banks use, folded (lower-case ASCII), for each column we read.
COLUMNS = {
    "transaction_id": {
        "transaction id",
        "transaction_id",
        "ma giao dich",
        "so tham chieu",
        "reference",
        "ref",
        "so but toan",
    },
    "booked_at": {
        "date",
        "booked at",
        "booked_at",
        "ngay",
        "ngay giao dich",
        "thoi gian",
        "ngay hach toan",
    },
    "amount": {"amount", "credit", "so tien", "so tien ghi co", "ghi co", "phat sinh co"},
    "description": {"description", "noi dung", "dien giai", "memo", "noi dung giao dich"},
}
REQUIRED = ("booked_at", "amount", "description")

# A dossier code as written, and as banks often print it once punctuation is stripped.
_CODE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,5}")
_BARE_CODE = re.compile(r"\d{7}[A-Z]\d{2}\d{10,11}")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")
_DECIMAL_CENTS = re.compile(r"^\d+[.,]\d{2}$")


def _bare(code: str) -> str:
    return _NON_ALNUM.sub("", code).upper()


@dataclass
class Line:
    line_no: int
    booked_at: str
    amount: int
    transaction_id: str
    description: str
    bill_number: str = ""
    outcome: str = ""  # matched | unconfirmed | mismatched | duplicate | unmatched | ignored
    payment: str = ""
    payment_amount: int | None = None
    receipt_number: str = ""
    note: str = ""


@dataclass
class Report:
    agency: str
    lines: list[Line] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    missing_from_statement: list[dict] = field(default_factory=list)
    gateway_exceptions: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in self.lines:
            counts[line.outcome] = counts.get(line.outcome, 0) + 1
        return counts

    def as_dict(self) -> dict:
        return {
            "agency": self.agency,
            "counts": self.counts(),
            "lines": [asdict(line) for line in self.lines],
            "errors": self.errors,
            "missing_from_statement": self.missing_from_statement,
            "gateway_exceptions": self.gateway_exceptions,
        }

    def to_csv(self) -> str:
        """The treasury export: one row per statement line with what it matched."""
        out = io.StringIO()
        names = [f for f in Line.__dataclass_fields__]
        writer = csv.DictWriter(out, fieldnames=names)
        writer.writeheader()
        for line in self.lines:
            writer.writerow(asdict(line))
        return out.getvalue()


def _parse_amount(raw: str) -> int:
    text = re.sub(r"(?i)\s|vnd|đ|d$", "", raw or "")
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-()+")
    if _DECIMAL_CENTS.match(text):
        text = text[:-3]
    digits = text.replace(".", "").replace(",", "")
    if not digits.isdigit():
        raise ValueError(f"số tiền không đọc được: “{raw}”")
    return -int(digits) if negative else int(digits)


def _parse_booked_at(raw: str) -> datetime:
    text = (raw or "").strip()
    value = parse_datetime(text.replace(" ", "T", 1)) if ":" in text else None
    if value is None and parse_date(text[:10]) is not None:
        value = datetime.combine(parse_date(text[:10]), time())
    if value is None:
        for pattern in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                value = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if value is None:
        raise ValueError(f"ngày không đọc được: “{raw}”")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        folded = fold(name)
        for column, aliases in COLUMNS.items():
            if folded in aliases and column not in found:
                found[column] = index
    missing = [column for column in REQUIRED if column not in found]
    if missing:
        raise ValidationFailed(
            "Sao kê thiếu cột bắt buộc.",
            fields={"file": [f"Thiếu cột: {', '.join(missing)} (xem tài liệu định dạng)."]},
        )
    return found


def read_statement(data: bytes) -> tuple[list[Line], list[dict]]:
    """The statement's lines and the rows that could not be read (with why)."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed(fields={"file": ["Tệp sao kê vượt quá 5 MB."]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(fields={"file": ["Tệp sao kê phải là CSV mã hóa UTF-8."]}) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        raise ValidationFailed(fields={"file": ["Tệp sao kê trống."]})
    if len(rows) > MAX_LINES + 1:
        raise ValidationFailed(fields={"file": [f"Tối đa {MAX_LINES} dòng mỗi lần."]})
    columns = _columns(rows[0])
    lines, errors = [], []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(column: str, row=row) -> str:
            index = columns.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        try:
            booked_at = _parse_booked_at(cell("booked_at"))
            amount = _parse_amount(cell("amount"))
        except ValueError as exc:
            errors.append({"line_no": line_no, "message": f"Dòng {line_no}: {exc}."})
            continue
        lines.append(
            Line(
                line_no=line_no,
                booked_at=timezone.localtime(booked_at).isoformat(),
                amount=amount,
                transaction_id=cell("transaction_id")[:100],
                description=cell("description")[:500],
            )
        )
    return lines, errors


def _bill_in(description: str, bills: dict[str, str]) -> str:
    for code in _CODE.findall(description):
        if code in bills.values():
            return code
    for bare in _BARE_CODE.findall(_bare(description)):
        if bare in bills:
            return bills[bare]
    return ""


def check_reader(actor, agency_code: str) -> Agency:
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise NotFound("Không tìm thấy cơ quan.")
    if not officer_roles(actor).get(agency.pk, frozenset()) & READERS:
        raise Forbidden("Chỉ cán bộ thu, lãnh đạo hoặc theo dõi của cơ quan mới được đối soát.")
    return agency


def reconcile(agency: Agency, data: bytes) -> Report:
    lines, errors = read_statement(data)
    report = Report(agency=agency.code, lines=lines, errors=errors)
    payments = list(
        Payment.objects.filter(dossier__agency=agency)
        .exclude(status=Payment.Status.CANCELLED)
        .select_related("receipt")
        .order_by("created_at")
    )
    by_transaction = {p.transaction_id: p for p in payments if p.transaction_id}
    by_bill: dict[str, list[Payment]] = {}
    for payment in payments:
        by_bill.setdefault(payment.bill_number, []).append(payment)
    bills = {_bare(bill): bill for bill in by_bill}
    used: set = set()

    for line in lines:
        if line.amount <= 0:
            line.outcome, line.note = "ignored", "Không phải khoản ghi có."
            continue
        payment = by_transaction.get(line.transaction_id) if line.transaction_id else None
        if payment is None:
            line.bill_number = _bill_in(line.description, bills)
            candidates = by_bill.get(line.bill_number, [])
            payment = next(
                (p for p in candidates if p.amount == line.amount and p.pk not in used),
                candidates[-1] if candidates else None,
            )
        else:
            line.bill_number = payment.bill_number
        _judge(line, payment, used)

    starts = [datetime.fromisoformat(line.booked_at) for line in lines]
    if starts:
        begin, end = min(starts) - timedelta(days=1), max(starts) + timedelta(days=1)
        report.missing_from_statement = [
            {
                "payment": str(p.pk),
                "bill_number": p.bill_number,
                "amount": p.amount,
                "transaction_id": p.transaction_id,
                "paid_at": timezone.localtime(p.paid_at).isoformat(),
            }
            for p in payments
            if p.status == Payment.Status.PAID
            and p.method == Payment.Method.VIETQR
            and p.pk not in used
            and begin <= p.paid_at <= end
        ]
        exceptions = GatewayNotification.objects.filter(
            received_at__range=(begin, end), bill_number__startswith=agency.code
        ).exclude(
            outcome__in=[GatewayNotification.Outcome.PAID, GatewayNotification.Outcome.DUPLICATE]
        )
        report.gateway_exceptions = [
            {
                "received_at": timezone.localtime(n.received_at).isoformat(),
                "transaction_id": n.transaction_id,
                "bill_number": n.bill_number,
                "amount": n.amount,
                "outcome": n.outcome,
                "payment": str(n.payment_id) if n.payment_id else None,
            }
            for n in exceptions.order_by("received_at")
        ]
    return report


def _judge(line: Line, payment: Payment | None, used: set) -> None:
    if payment is None:
        line.outcome, line.note = "unmatched", "Không tìm thấy khoản thu tương ứng."
        return
    line.payment, line.payment_amount = str(payment.pk), payment.amount
    receipt = getattr(payment, "receipt", None)
    line.receipt_number = receipt.display_number if receipt else ""
    if payment.pk in used:
        line.outcome, line.note = "duplicate", "Khoản thu đã khớp với một dòng khác."
        return
    if payment.amount != line.amount:
        line.outcome, line.note = "mismatched", "Số tiền khác số phải nộp."
        return
    if payment.status == Payment.Status.PAID:
        line.outcome = "matched"
    else:
        line.outcome = "unconfirmed"
        line.note = "Tiền đã về nhưng chưa có thông báo của cổng thanh toán."
    used.add(payment.pk)
