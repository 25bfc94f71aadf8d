from decimal import Decimal

import pytest

from motcua.catalog import services
from motcua.catalog.models import AdministrativeUnit, Agency, Procedure, Sector
from motcua.catalog.queries import procedure_as_dict
from motcua.core.errors import ActionNotAllowed, ValidationFailed

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def base():
    factories.sector()
    factories.agency()


def _fields(exc_info):
    return exc_info.value.fields


def test_import_creates_a_published_procedure_with_all_its_parts(base):
    procedure = services.import_procedure(factories.procedure_data())
    assert procedure.status == Procedure.Status.PUBLISHED
    assert procedure.version == 1
    assert procedure.processing_time_value == Decimal("1.00")
    assert procedure.cutoff_time.strftime("%H:%M") == "15:00"
    assert [a.code for a in procedure.agencies.all()] == [factories.AGENCY_CODE]
    assert [c.name for c in procedure.components.all()] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert procedure.fees.get().online_amount == 0
    assert [s.budget_hours for s in procedure.steps.all()] == [Decimal("2"), Decimal("4.5")]
    assert procedure.legal_bases.get().effective_on.isoformat() == "2016-01-01"
    assert procedure.search_text == "dang ky khai sinh 1 001193 ho tich"


def test_export_dict_equals_the_imported_dict(base):
    procedure = services.import_procedure(factories.procedure_data())
    expected = factories.procedure_data()
    # The import notes the order of the form's questions (the database may not keep it).
    expected["form_schema"]["x-order"] = list(expected["form_schema"]["properties"])
    assert procedure_as_dict(procedure) == expected


def test_importing_the_same_dict_again_changes_nothing(base):
    first = services.import_procedure(factories.procedure_data())
    updated_at = first.updated_at
    again = services.import_procedure(factories.procedure_data())
    assert again.pk == first.pk
    assert Procedure.objects.count() == 1
    again.refresh_from_db()
    assert again.updated_at == updated_at
    assert again.components.count() == 2


def test_changed_content_makes_a_new_version_and_supersedes_the_old(base):
    first = services.import_procedure(factories.procedure_data())
    old_component_ids = set(first.components.values_list("id", flat=True))
    second = services.import_procedure(
        factories.procedure_data(fees=[{"name": "Lệ phí", "amount": 10000}])
    )
    first.refresh_from_db()
    assert first.status == Procedure.Status.SUPERSEDED
    assert (second.version, second.status) == (2, Procedure.Status.PUBLISHED)
    assert second.previous_version == first
    # The old version keeps its own parts; the new one has copies.
    assert first.fees.get().amount == 8000
    assert second.fees.get().amount == 10000
    assert second.components.count() == 2
    assert not old_component_ids & set(second.components.values_list("id", flat=True))
    assert Procedure.objects.filter(code="1.001193", status="published").count() == 1


def test_omitted_keys_keep_the_current_values(base):
    services.import_procedure(factories.procedure_data())
    same = services.import_procedure({"code": "1.001193", "name": "Đăng ký khai sinh"})
    assert same.version == 1
    renamed = services.import_procedure({"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"})
    assert renamed.version == 2
    assert renamed.steps.count() == 2
    assert renamed.search_text.startswith("thu tuc dang ky khai sinh")


def test_revise_published_procedure_copies_the_unchanged_parts(base):
    first = services.import_procedure(factories.procedure_data())
    revised = services.revise_procedure(first, {"result_type": "Bản chính Giấy khai sinh"}, None)
    assert revised.version == 2
    assert revised.result_type == "Bản chính Giấy khai sinh"
    assert procedure_as_dict(revised) | {"result_type": "Giấy khai sinh"} == procedure_as_dict(
        first
    )
    first.refresh_from_db()
    assert first.result_type == "Giấy khai sinh"
    with pytest.raises(ActionNotAllowed):
        services.revise_procedure(first, {"name": "x"}, None)


def test_revise_without_change_makes_no_version(base):
    first = services.import_procedure(factories.procedure_data())
    assert services.revise_procedure(first, {"name": "Đăng ký khai sinh"}, None).pk == first.pk


def test_revise_cannot_change_the_code(base):
    first = services.import_procedure(factories.procedure_data())
    with pytest.raises(ValidationFailed) as exc_info:
        services.revise_procedure(first, {"code": "1.000001"}, None)
    assert "code" in _fields(exc_info)


def test_draft_then_publish_supersedes_the_published_version(base):
    first = services.import_procedure(factories.procedure_data())
    draft = services.create_draft({"code": "1.001193", "name": "Đăng ký khai sinh (mới)"})
    assert (draft.version, draft.status) == (2, "draft")
    first.refresh_from_db()
    assert first.status == "published"
    edited = services.revise_procedure(draft, {"result_type": "Giấy khai sinh bản điện tử"})
    assert edited.pk == draft.pk
    published = services.publish_procedure(draft)
    first.refresh_from_db()
    assert (published.status, first.status) == ("published", "superseded")
    assert published.result_type == "Giấy khai sinh bản điện tử"


def test_abolish_removes_from_published(base):
    procedure = services.import_procedure(factories.procedure_data())
    services.abolish_procedure(procedure)
    procedure.refresh_from_db()
    assert procedure.status == "abolished"
    with pytest.raises(ActionNotAllowed):
        services.publish_procedure(procedure)
    again = services.import_procedure(factories.procedure_data())
    assert (again.version, again.status) == (2, "published")


def test_unknown_sector_and_agency_name_the_field(base):
    with pytest.raises(ValidationFailed) as exc_info:
        services.import_procedure(
            factories.procedure_data(sector="khong-co", agencies=["000.00.99.H26"])
        )
    assert set(_fields(exc_info)) == {"sector", "agencies"}
    assert exc_info.value.status == 422
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "1001193"}, "code"),
        ({"name": ""}, "name"),
        ({"level": "district"}, "level"),
        ({"channels": ["fax"]}, "channels"),
        ({"processing_time": {"value": -1, "unit": "working_days"}}, "processing_time.value"),
        ({"processing_time": {"value": 1, "unit": "weeks"}}, "processing_time.unit"),
        (
            {"processing_time": {"value": 1, "unit": "in_day", "cutoff": "25:00"}},
            "processing_time.cutoff",
        ),
        ({"fees": [{"name": "Lệ phí", "amount": "tám nghìn"}]}, "fees.0.amount"),
        ({"components": [{"name": "", "copies": 1}]}, "components.0.name"),
        ({"components": [{"name": "Tờ khai", "copies": 0}]}, "components.0.copies"),
        ({"steps": [{"name": "Ký", "role": "mayor", "budget_hours": 1}]}, "steps.0.role"),
        (
            {
                "steps": [
                    {"name": "Ký", "role": "leader", "budget_hours": 1, "agency": "000.00.77.H26"}
                ]
            },
            "steps.0.agency",
        ),
        ({"legal_bases": [{"number": "60/2014/QH13"}]}, "legal_bases.0.title"),
        ({"form_schema": {"type": "thing"}}, "form_schema"),
        ({"publication_date": "01/07/2025"}, "publication_date"),
        ({"online_level": "total"}, "online_level"),
        ({"result_is_document": "yes"}, "result_is_document"),
    ],
)
def test_validation_errors_name_the_field(base, overrides, field):
    with pytest.raises(ValidationFailed) as exc_info:
        services.import_procedure(factories.procedure_data(**overrides))
    assert field in _fields(exc_info)
    assert not Procedure.objects.exists()


def test_a_failed_update_leaves_the_published_version_untouched(base):
    services.import_procedure(factories.procedure_data())
    with pytest.raises(ValidationFailed):
        services.import_procedure(factories.procedure_data(fees=[{"name": "x", "amount": -5}]))
    procedure = Procedure.objects.get()
    assert (procedure.version, procedure.fees.get().amount) == (1, 8000)


def test_renaming_a_sector_refreshes_search_text(base):
    procedure = services.import_procedure(factories.procedure_data())
    services.upsert_sector("ho-tich", "Hộ tịch, quốc tịch")
    procedure.refresh_from_db()
    assert procedure.search_text.endswith("ho tich quoc tich")
    assert Sector.objects.count() == 1


def test_upsert_sector_validates():
    with pytest.raises(ValidationFailed) as exc_info:
        services.upsert_sector("Hộ tịch", "")
    assert set(_fields(exc_info)) == {"code", "name"}


def test_upsert_agency_is_idempotent_and_links_parent():
    province = services.upsert_agency(
        {"code": "000.00.00.H26", "name": "UBND tỉnh Phú Thọ", "level": "province"}
    )
    data = dict(factories.COMMUNE)
    commune = services.upsert_agency(data)
    updated_at = commune.updated_at
    again = services.upsert_agency(data)
    assert again.pk == commune.pk
    assert again.updated_at == updated_at
    assert again.parent == province
    assert again.office_hours == [["07:30", "11:30"], ["13:30", "17:00"]]
    services.upsert_agency({"code": "000.00.31.H26", "hotline": "0211 3869 101"})
    commune.refresh_from_db()
    assert (commune.hotline, commune.name) == ("0211 3869 101", "UBND phường Phúc Yên")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "H26", "name": "X", "level": "commune"}, "code"),
        ({"code": "000.00.31.H26", "name": "X", "level": "district"}, "level"),
        (
            {"code": "000.00.31.H26", "name": "X", "level": "commune", "parent": "000.00.01.H26"},
            "parent",
        ),
        ({"code": "000.00.31.H26", "name": "X", "level": "commune", "unit": "99999"}, "unit"),
        (
            {
                "code": "000.00.31.H26",
                "name": "X",
                "level": "commune",
                "office_hours": [["13:00", "12:00"]],
            },
            "office_hours",
        ),
        (
            {"code": "000.00.31.H26", "name": "X", "level": "commune", "email": "not-an-email"},
            "email",
        ),
    ],
)
def test_upsert_agency_validation_names_the_field(data, field):
    with pytest.raises(ValidationFailed) as exc_info:
        services.upsert_agency(data)
    assert field in _fields(exc_info)
    assert not Agency.objects.exists()


def test_load_administrative_units_for_one_province_is_idempotent():
    count = services.load_administrative_units(["25"])
    province = AdministrativeUnit.objects.get(code="25")
    assert province.level == "province"
    communes = AdministrativeUnit.objects.filter(province=province)
    assert communes.count() == count - 1 > 50
    assert all(len(c.code) == 5 and c.level == "commune" for c in communes)
    assert services.load_administrative_units(["25"]) == count


def test_load_administrative_units_rejects_unknown_province():
    with pytest.raises(ValidationFailed) as exc_info:
        services.load_administrative_units(["99"])
    assert "province_codes" in _fields(exc_info)


def test_import_racing_another_import_of_the_same_code(base, monkeypatch):
    """The other transaction committed version 1 between our read and our insert."""
    services.import_procedure(factories.procedure_data())
    real = services._latest_version
    calls = []

    def stale_then_real(code, **kwargs):
        calls.append(code)
        return None if len(calls) == 1 else real(code, **kwargs)

    monkeypatch.setattr(services, "_latest_version", stale_then_real)
    again = services.import_procedure(
        factories.procedure_data(result_type="Giấy khai sinh bản sao")
    )
    assert len(calls) == 2
    assert (again.version, again.result_type) == (2, "Giấy khai sinh bản sao")
    assert Procedure.objects.filter(code="1.001193").count() == 2
