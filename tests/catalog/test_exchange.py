import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from motcua.catalog import exchange, services
from motcua.catalog.models import Agency, Procedure, Sector

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    factories.agency("000.00.00.H26", "UBND tỉnh Phú Thọ", "province")
    factories.agency(**{k: v for k, v in factories.COMMUNE.items()})
    factories.sector()
    services.import_procedure(factories.procedure_data())
    factories.procedure(
        code="1.000894",
        name="Đăng ký kết hôn",
        steps=[
            {
                "name": "Xác minh",
                "role": "specialist",
                "agency": "000.00.00.H26",
                "budget_hours": 8,
                "inter_agency": True,
            }
        ],
        processing_time={"value": 3, "unit": "working_days", "cutoff": None, "text": "03 ngày"},
        publication_date=None,
        made_public_at=None,
    )


def _state():
    return list(
        Procedure.objects.order_by("code", "version").values_list(
            "code", "version", "status", "updated_at"
        )
    ), list(Agency.objects.order_by("code").values_list("code", "updated_at"))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_changes_nothing(catalog, fmt):
    before = _state()
    content = exchange.export_catalog(fmt)
    report = exchange.import_catalog(content, fmt)
    assert report.ok, report.errors
    assert report.created == report.updated == 0
    assert report.unchanged >= 2
    assert _state() == before
    assert exchange.export_catalog("csv") == exchange.export_catalog("csv")


def test_xlsx_loads_into_an_empty_database(catalog):
    content = exchange.export_catalog("xlsx")
    expected = exchange.export_records()
    Procedure.objects.all().delete()
    Agency.objects.filter(parent__isnull=False).delete()
    Agency.objects.all().delete()
    Sector.objects.all().delete()
    report = exchange.import_catalog(content, "xlsx")
    assert report.ok, report.errors
    assert report.created == 1 + 2 + 2  # sector, agencies, procedures
    assert exchange.export_records() == expected
    assert Agency.objects.get(code=factories.AGENCY_CODE).parent.code == "000.00.00.H26"


def test_csv_columns_and_cells(catalog):
    text = exchange.export_catalog("csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [name for name, _ in exchange.PROCEDURE_COLUMNS]
    birth = next(r for r in rows if r["code"] == "1.001193")
    assert birth["agencies"] == factories.AGENCY_CODE
    assert birth["channels"] == "counter, online, post"
    assert birth["cutoff_time"] == "15:00"
    assert birth["result_is_document"] == "true"
    assert json.loads(birth["fees"])[0]["amount"] == 8000


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_row_errors_name_row_and_field_and_keep_good_rows(catalog):
    content = _csv(
        [
            ["code", "name", "sector", "level", "agencies", "fees", "processing_time_value"],
            [
                "1.002001",
                "Cấp bản sao trích lục hộ tịch",
                "ho-tich",
                "commune",
                factories.AGENCY_CODE,
                "",
                "5",
            ],
            ["1.002002", "Đăng ký giám hộ", "khong-co", "commune", factories.AGENCY_CODE, "", "5"],
            [
                "1.002003",
                "Đăng ký nhận cha, mẹ, con",
                "ho-tich",
                "commune",
                factories.AGENCY_CODE,
                "[{",
                "5",
            ],
            [
                "1.002004",
                "Thay đổi hộ tịch",
                "ho-tich",
                "commune",
                factories.AGENCY_CODE,
                '[{"name": "Lệ phí", "amount": -1}]',
                "5",
            ],
        ]
    )
    report = exchange.import_catalog(content, "csv")
    assert report.created == 1
    assert {(e.row, e.field) for e in report.errors} == {
        (3, "sector"),
        (4, "fees"),
        (5, "fees.0.amount"),
    }
    assert set(Procedure.objects.values_list("code", flat=True)) == {
        "1.001193",
        "1.000894",
        "1.002001",
    }
    # A failing row leaves nothing behind: no half-imported parts.
    assert not Procedure.objects.filter(code="1.002004").exists()


def test_unknown_column_is_reported(catalog):
    report = exchange.import_catalog(_csv([["code", "ten"], ["1.001193", "x"]]), "csv")
    assert [(e.row, e.field) for e in report.errors] == [(1, "ten")]


def test_changed_row_makes_a_new_version(catalog):
    content = _csv([["code", "result_type"], ["1.001193", "Giấy khai sinh (bản chính)"]])
    report = exchange.import_catalog(content, "csv")
    assert (report.updated, report.errors) == (1, [])
    assert Procedure.objects.get(code="1.001193", status="published").version == 2


def test_dry_run_keeps_nothing(catalog):
    content = _csv([["code", "result_type"], ["1.001193", "Giấy khai sinh (bản chính)"]])
    report = exchange.import_catalog(content, "csv", dry_run=True)
    assert report.updated == 1
    assert Procedure.objects.filter(code="1.001193").count() == 1


def test_bad_files_are_validation_errors():
    from motcua.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        exchange.import_catalog(b"not a workbook", "xlsx")
    with pytest.raises(ValidationFailed):
        exchange.import_catalog("code\n".encode("utf-16"), "csv")
    workbook = Workbook()
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ValidationFailed):
        exchange.import_catalog(out.getvalue(), "xlsx")


def test_xlsx_sheets(catalog):
    workbook = load_workbook(io.BytesIO(exchange.export_catalog("xlsx")))
    assert workbook.sheetnames == ["procedures", "sectors", "agencies"]
    agencies = [row[0] for row in workbook["agencies"].iter_rows(min_row=2, values_only=True)]
    assert agencies == ["000.00.00.H26", factories.AGENCY_CODE]


def test_commands(catalog, tmp_path):
    target = tmp_path / "catalog.xlsx"
    call_command("export_catalog", "--output", str(target), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_catalog", str(target), stdout=out, stderr=io.StringIO())
    assert "Thêm mới 0, cập nhật 0" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([["code", "name"], ["1.00", "x"]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_catalog", str(bad), stdout=io.StringIO(), stderr=err)
    assert "procedures, dòng 2, code" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("export_catalog", "--output", str(tmp_path / "x.txt"), stdout=io.StringIO())


@pytest.fixture
def demo_catalog():
    from motcua.catalog import demo

    agencies = demo.load("agencies")
    services.load_administrative_units([agencies["province"]])
    for agency in agencies["agencies"]:
        services.upsert_agency(demo.public(agency))
    catalog = demo.load("procedures")
    for sector in catalog["sectors"]:
        services.upsert_sector(sector["code"], sector["name"], sector.get("name_en", ""))
    for procedure in catalog["procedures"]:
        services.import_procedure(demo.public(procedure))
    return catalog


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_demo_catalog_round_trip(demo_catalog, fmt):
    before = _state()
    report = exchange.import_catalog(exchange.export_catalog(fmt), fmt)
    assert report.ok, [str(e) for e in report.errors[:5]]
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged >= len(demo_catalog["procedures"])
    assert _state() == before


def test_text_that_looks_like_a_formula_stays_text(catalog):
    services.import_procedure({"code": "1.001193", "result_type": '=HYPERLINK("x")'})
    content = exchange.export_catalog("xlsx")
    sheet = load_workbook(io.BytesIO(content))["procedures"]
    column = [c.value for c in sheet[1]].index("result_type")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert exchange.import_catalog(content, "xlsx").unchanged >= 2
