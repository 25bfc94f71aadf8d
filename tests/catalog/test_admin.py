import io

import pytest
from django.forms import SplitDateTimeWidget
from openpyxl import load_workbook

from motcua.catalog import services
from motcua.catalog.models import Procedure

from . import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/catalog/procedure/"


@pytest.fixture
def birth():
    factories.sector()
    factories.agency()
    return services.import_procedure(factories.procedure_data())


def _widget_values(form, name):
    field = form.fields[name]
    value = form[name].value()
    if isinstance(field.widget, SplitDateTimeWidget):
        parts = field.widget.decompress(value)
        return {f"{name}_0": parts[0] or "", f"{name}_1": parts[1] or ""}
    if value is None:
        return {name: ""}
    if isinstance(value, bool):
        return {name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {name: [str(v) for v in value]}
    return {name: str(value)}


def _post_data(response) -> dict:
    """What the browser would send back for the admin page as shown."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data |= {form.add_prefix(k): v for k, v in _widget_values(form, name).items()}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms = formset.initial_forms
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        data[management.add_prefix("TOTAL_FORMS")] = len(forms)
        for part in forms:
            for name in part.fields:
                data |= {part.add_prefix(k): v for k, v in _widget_values(part, name).items()}
    return data


def test_changelist_search_ignores_diacritics(admin_client, birth):
    factories.procedure(name="Đăng ký kết hôn")
    response = admin_client.get(CHANGELIST, {"q": "KHAI SINH"})
    assert response.status_code == 200
    assert [p.code for p in response.context["cl"].result_list] == ["1.001193"]
    assert admin_client.get(CHANGELIST, {"status__exact": "published"}).status_code == 200


def test_editing_a_published_procedure_makes_a_new_version(admin_client, birth):
    url = f"{CHANGELIST}{birth.pk}/change/"
    data = _post_data(admin_client.get(url))
    data["result_type"] = "Giấy khai sinh (bản chính và bản điện tử)"
    data["fees-0-amount"] = "10000"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    birth.refresh_from_db()
    assert birth.status == "superseded"
    assert (birth.result_type, birth.fees.get().amount) == ("Giấy khai sinh", 8000)
    current = Procedure.objects.get(code="1.001193", status="published")
    assert current.version == 2
    assert current.result_type == "Giấy khai sinh (bản chính và bản điện tử)"
    assert current.fees.get().amount == 10000
    assert current.components.count() == 2
    assert current.search_text.startswith("dang ky khai sinh")


def test_saving_unchanged_makes_no_version(admin_client, birth):
    url = f"{CHANGELIST}{birth.pk}/change/"
    response = admin_client.post(url, _post_data(admin_client.get(url)))
    assert response.status_code == 302
    assert Procedure.objects.count() == 1


def test_deleting_a_part_in_the_inline(admin_client, birth):
    url = f"{CHANGELIST}{birth.pk}/change/"
    data = _post_data(admin_client.get(url))
    data["components-1-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    current = Procedure.objects.get(code="1.001193", status="published")
    assert [c.name for c in current.components.all()] == ["Tờ khai đăng ký khai sinh"]


def test_superseded_version_is_read_only(admin_client, birth):
    services.revise_procedure(birth, {"name": "Thủ tục đăng ký khai sinh"})
    url = f"{CHANGELIST}{birth.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = admin_client.post(url, {"name": "Sửa lịch sử"})
    assert response.status_code == 403
    birth.refresh_from_db()
    assert birth.name == "Đăng ký khai sinh"


def test_add_creates_a_draft_then_publish_action(admin_client, birth):
    template = _post_data(admin_client.get(f"{CHANGELIST}{birth.pk}/change/"))
    add_page = admin_client.get(f"{CHANGELIST}add/")
    data = _post_data(add_page) | {
        k: v for k, v in template.items() if "-" not in k
    }  # main form fields only; inlines empty
    data |= {"code": "1.000894", "name": "Đăng ký kết hôn"}
    response = admin_client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    draft = Procedure.objects.get(code="1.000894")
    assert (draft.status, draft.search_text) == ("draft", "dang ky ket hon 1 000894 ho tich")
    response = admin_client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"


def test_invalid_form_schema_is_a_form_error(admin_client, birth):
    url = f"{CHANGELIST}{birth.pk}/change/"
    data = _post_data(admin_client.get(url)) | {"form_schema": '{"type": "thing"}'}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "form_schema" in response.context["adminform"].form.errors
    assert Procedure.objects.count() == 1


def test_abolish_and_export_actions(admin_client, birth):
    other = factories.procedure(name="Đăng ký kết hôn")
    response = admin_client.post(
        CHANGELIST, {"action": "export_xlsx", "_selected_action": [birth.pk]}
    )
    assert response["Content-Disposition"] == 'attachment; filename="thu-tuc.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content))["procedures"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["1.001193"]
    csv_response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [birth.pk, other.pk]}
    )
    assert csv_response.content.decode("utf-8-sig").count("\r\n") == 3
    admin_client.post(CHANGELIST, {"action": "abolish_selected", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.status == "abolished"


def test_agency_admin_checks_office_hours(admin_client):
    services.upsert_agency(
        {"code": "000.00.00.H26", "name": "UBND tỉnh Phú Thọ", "level": "province"}
    )
    response = admin_client.post(
        "/admin/catalog/agency/add/",
        {
            "code": "000.00.12.H26",
            "name": "Sở Tư pháp",
            "level": "department",
            "office_hours": '[["17:00", "08:00"]]',
            "officer_roles-TOTAL_FORMS": "0",
            "officer_roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "office_hours" in response.context["adminform"].form.errors


@pytest.mark.parametrize(
    "path",
    [
        "/admin/catalog/agency/",
        "/admin/catalog/sector/",
        "/admin/catalog/officerrole/",
        "/admin/catalog/administrativeunit/",
        "/admin/catalog/procedure/add/",
    ],
)
def test_admin_pages_open(admin_client, birth, path):
    assert admin_client.get(path).status_code == 200


def test_sector_rename_in_admin_refreshes_search(admin_client, birth):
    sector = birth.sector
    response = admin_client.post(
        f"/admin/catalog/sector/{sector.pk}/change/",
        {"name": "Hộ tịch, quốc tịch", "name_en": "Civil status"},
    )
    assert response.status_code == 302
    birth.refresh_from_db()
    assert birth.search_text.endswith("ho tich quoc tich")
