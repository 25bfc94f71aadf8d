"""Import and export of the catalog as XLSX or CSV (columns documented in docs/catalog.md).

One row per procedure; its lists of parts (legal bases, components, fees, steps) and its
e-form are JSON cells, so that a row is a whole procedure and imports or fails as one. An
XLSX workbook also carries the sectors and agencies the procedures refer to, imported first.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook

from motcua.core.errors import DomainError, ValidationFailed

from . import services
from .models import Agency, Procedure, Sector
from .queries import PROCEDURE_DICT_PREFETCH, procedure_as_dict

FORMATS = ("xlsx", "csv")
PROCEDURES_SHEET, SECTORS_SHEET, AGENCIES_SHEET = "procedures", "sectors", "agencies"

# (column, kind): kind says how the cell is read and written.
PROCEDURE_COLUMNS = [
    ("code", "text"),
    ("name", "text"),
    ("sector", "text"),
    ("level", "text"),
    ("agencies", "codes"),
    ("online_level", "text"),
    ("full_process_eligible", "bool"),
    ("channels", "codes"),
    ("processing_time_value", "number"),
    ("processing_time_unit", "text"),
    ("cutoff_time", "text"),
    ("processing_time_text", "text"),
    ("applicant_kinds", "codes"),
    ("applicant_text", "text"),
    ("requirements_text", "text"),
    ("steps_text", "text"),
    ("submission_text", "text"),
    ("fee_text", "text"),
    ("payment_due", "text"),
    ("result_type", "text"),
    ("result_is_document", "bool"),
    ("publication_decision", "text"),
    ("publication_date", "text"),
    ("made_public_at", "text"),
    ("legal_bases", "json"),
    ("components", "json"),
    ("fees", "json"),
    ("steps", "json"),
    ("form_schema", "json"),
    ("form_ui", "json"),
]
SECTOR_COLUMNS = [("code", "text"), ("name", "text"), ("name_en", "text")]
AGENCY_COLUMNS = [
    ("code", "text"),
    ("name", "text"),
    ("short_name", "text"),
    ("level", "text"),
    ("parent", "text"),
    ("unit", "text"),
    ("address", "text"),
    ("hotline", "text"),
    ("email", "text"),
    ("website", "text"),
    ("office_hours", "json"),
]
_PROCESSING = {
    "processing_time_value": "value",
    "processing_time_unit": "unit",
    "cutoff_time": "cutoff",
    "processing_time_text": "text",
}
_TRUE = {"true", "1", "x", "yes", "có", "co"}
_FALSE = {"false", "0", "", "no", "không", "khong"}


@dataclass
class RowError:
    sheet: str
    row: int  # as the spreadsheet numbers it: the header is row 1
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}, dòng {self.row}, {self.field}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# Export ---------------------------------------------------------------------------------


def _procedure_row(data: dict) -> dict:
    row = {k: v for k, v in data.items() if k != "processing_time"}
    for column, key in _PROCESSING.items():
        row[column] = data["processing_time"][key]
    return row


def _cell(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind == "codes":
        return ", ".join(value)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if kind == "bool":
        return "true" if value else "false"
    return value


def _sheet_rows(columns, records):
    yield [name for name, _ in columns]
    for record in records:
        yield [_cell(record.get(name), kind) for name, kind in columns]


def _agency_record(a: Agency) -> dict:
    return {
        "code": a.code,
        "name": a.name,
        "short_name": a.short_name,
        "level": a.level,
        "parent": a.parent.code if a.parent_id else "",
        "unit": a.unit.code if a.unit_id else "",
        "address": a.address,
        "hotline": a.hotline,
        "email": a.email,
        "website": a.website,
        "office_hours": a.office_hours,
    }


def _agencies_parents_first() -> list[Agency]:
    agencies = list(Agency.objects.select_related("parent", "unit").order_by("code"))
    by_id = {a.pk: a for a in agencies}

    def depth(a: Agency) -> int:
        seen = 0
        while a.parent_id and seen < len(agencies):
            a, seen = by_id[a.parent_id], seen + 1
        return seen

    return sorted(agencies, key=lambda a: (depth(a), a.code))


def export_records(procedures=None) -> list[dict]:
    """The procedure rows to export (default: every published procedure)."""
    if procedures is None:
        procedures = Procedure.objects.filter(status=Procedure.Status.PUBLISHED)
    rows = procedures.select_related("sector").prefetch_related(*PROCEDURE_DICT_PREFETCH)
    return [_procedure_row(procedure_as_dict(p)) for p in rows.order_by("code", "version")]


def export_catalog(fmt: str, procedures=None) -> bytes:
    """The catalog as an XLSX workbook (procedures, sectors, agencies) or a CSV of procedures."""
    records = export_records(procedures)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows(_sheet_rows(PROCEDURE_COLUMNS, records))
        # UTF-8 with BOM so that spreadsheet programs read Vietnamese correctly.
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValidationFailed(fields={"format": [f"Định dạng phải là {' hoặc '.join(FORMATS)}."]})
    workbook = Workbook()
    sheets = [
        (PROCEDURES_SHEET, PROCEDURE_COLUMNS, records),
        (
            SECTORS_SHEET,
            SECTOR_COLUMNS,
            [
                {"code": s.code, "name": s.name, "name_en": s.name_en}
                for s in Sector.objects.order_by("code")
            ],
        ),
        # Every agency, parents first, so that the workbook loads into an empty database.
        (AGENCIES_SHEET, AGENCY_COLUMNS, [_agency_record(a) for a in _agencies_parents_first()]),
    ]
    workbook.remove(workbook.active)
    for title, columns, sheet_records in sheets:
        sheet = workbook.create_sheet(title)
        for values in _sheet_rows(columns, sheet_records):
            sheet.append(values)
        for row in sheet.iter_rows():
            for cell in row:
                # Text is text: "=..." must not become a formula when the sheet is opened.
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Import ---------------------------------------------------------------------------------


class _CellError(Exception):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message


def _read_cell(name: str, kind: str, value: Any) -> Any:
    if isinstance(value, date | time):  # typed into the spreadsheet as a date or time
        value = value.isoformat()
    if value is None:
        value = ""
    if kind == "number":
        if value == "":
            return None
        if isinstance(value, int | float):
            return value
        try:
            return float(str(value).replace(",", "."))
        except ValueError:
            raise _CellError(name, "Phải là số.") from None
    value = str(value) if not isinstance(value, int | float) else value
    if kind == "text":
        return str(value).strip()
    if kind == "bool":
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _CellError(name, "Phải là true hoặc false.")
    if kind == "codes":
        return [part.strip() for part in str(value).split(",") if part.strip()]
    if kind == "json":
        if str(value).strip() == "":
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise _CellError(name, f"JSON không hợp lệ: {exc.msg} (vị trí {exc.pos}).") from None
    raise AssertionError(kind)


def _rows_to_records(sheet: str, header: list, rows, columns) -> tuple[list, list[RowError]]:
    """Turn raw rows into (row number, record) pairs, reporting unreadable cells."""
    known = dict(columns)
    header = [str(h or "").strip() for h in header]
    errors = [] if "code" in header else [RowError(sheet, 1, "code", "Thiếu cột code.")]
    unknown = [h for h in header if h and h not in known]
    errors += [RowError(sheet, 1, h, "Cột không có trong định dạng.") for h in unknown]
    if errors:
        return [], errors
    records = []
    for number, values in enumerate(rows, start=2):
        values = list(values) + [None] * (len(header) - len(values))
        if all(v in (None, "") for v in values):
            continue
        record, row_errors = {}, []
        for name, value in zip(header, values, strict=False):
            if not name:
                continue
            try:
                parsed = _read_cell(name, known[name], value)
            except _CellError as exc:
                row_errors.append(RowError(sheet, number, exc.field, exc.message))
                continue
            if parsed is not None:
                record[name] = parsed
        if row_errors:
            errors += row_errors
        else:
            records.append((number, record))
    return records, errors


def _procedure_from_row(record: dict) -> dict:
    data = {k: v for k, v in record.items() if k not in _PROCESSING}
    processing = {key: record[col] for col, key in _PROCESSING.items() if col in record}
    if processing:
        if processing.get("cutoff") == "":
            processing["cutoff"] = None
        data["processing_time"] = processing
    for key in ("publication_date", "made_public_at"):
        if data.get(key) == "":
            data[key] = None
    return data


def _field_errors(sheet: str, number: int, exc: DomainError) -> list[RowError]:
    if not exc.fields:
        return [RowError(sheet, number, "__all__", exc.message)]
    return [
        RowError(sheet, number, name, message)
        for name, messages in exc.fields.items()
        for message in messages
    ]


def _apply(sheet: str, records, save, report: ImportReport) -> None:
    for number, record in records:
        try:
            with transaction.atomic():
                outcome = save(record)
        except DomainError as exc:
            report.errors += _field_errors(sheet, number, exc)
        else:
            setattr(report, outcome, getattr(report, outcome) + 1)


def _save_sector(record: dict) -> str:
    before = Sector.objects.filter(code=record.get("code")).values("name", "name_en").first()
    services.upsert_sector(
        record.get("code", ""), record.get("name", ""), record.get("name_en", "")
    )
    after = {"name": record.get("name", ""), "name_en": record.get("name_en", "")}
    return "created" if before is None else "unchanged" if before == after else "updated"


def _save_agency(record: dict) -> str:
    record = {k: (v or None) if k in ("parent", "unit") else v for k, v in record.items()}
    before = Agency.objects.filter(code=record.get("code")).values("updated_at").first()
    agency = services.upsert_agency(record)
    if before is None:
        return "created"
    return "unchanged" if agency.updated_at == before["updated_at"] else "updated"


def _save_procedure(record: dict) -> str:
    data = _procedure_from_row(record)
    before = Procedure.objects.filter(code=data.get("code")).order_by("-version").first()
    procedure = services.import_procedure(data)
    if before is None:
        return "created"
    return "unchanged" if procedure.pk == before.pk else "updated"


def _read_csv(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(fields={"file": ["Tệp CSV phải mã hóa UTF-8."]}) from None
    rows = list(csv.reader(io.StringIO(text)))
    return {PROCEDURES_SHEET: rows} if rows else {}


def _read_xlsx(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationFailed(fields={"file": [f"Không đọc được tệp XLSX: {exc}"]}) from None
    sheets = {}
    for sheet in workbook.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        if rows:
            sheets[sheet.title] = rows
    workbook.close()
    return sheets


def import_catalog(content: bytes, fmt: str, *, dry_run: bool = False) -> ImportReport:
    """Import sectors, agencies and procedures; each row is imported whole or not at all.

    With `dry_run` everything is checked and nothing is kept.
    """
    if fmt not in FORMATS:
        raise ValidationFailed(fields={"format": [f"Định dạng phải là {' hoặc '.join(FORMATS)}."]})
    sheets = _read_csv(content) if fmt == "csv" else _read_xlsx(content)
    if PROCEDURES_SHEET not in sheets and fmt == "xlsx":
        raise ValidationFailed(fields={"file": [f"Thiếu trang tính {PROCEDURES_SHEET!r}."]})
    report = ImportReport()
    with transaction.atomic():
        for sheet, columns, save in (
            (SECTORS_SHEET, SECTOR_COLUMNS, _save_sector),
            (AGENCIES_SHEET, AGENCY_COLUMNS, _save_agency),
            (PROCEDURES_SHEET, PROCEDURE_COLUMNS, _save_procedure),
        ):
            if sheet not in sheets:
                continue
            header, *rows = sheets[sheet]
            records, errors = _rows_to_records(sheet, header, rows, columns)
            sheet_report = ImportReport(errors=errors)
            _apply(sheet, records, save, sheet_report)
            report.created += sheet_report.created
            report.updated += sheet_report.updated
            report.unchanged += sheet_report.unchanged
            report.errors += sorted(sheet_report.errors, key=lambda e: e.row)
        if dry_run:
            transaction.set_rollback(True)
    return report


def format_for(path: str | Path, given: str | None = None) -> str:
    fmt = given or Path(path).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValidationFailed(
            fields={"format": [f"Không nhận ra định dạng {fmt!r}: dùng {', '.join(FORMATS)}."]}
        )
    return fmt
