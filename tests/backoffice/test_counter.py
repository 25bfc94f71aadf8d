"""Counter reception: choose the procedure, enter the applicant and the e-form, scan the
components, get the dossier with its receipt."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog import services as catalog
from motcua.dossiers.models import Dossier, Status
from tests.dossiers import factories

COUNTER = "/mot-cua/tiep-nhan/"


def pdf(name="to-khai.pdf"):
    return SimpleUploadedFile(name, factories.PDF_BYTES, content_type="application/pdf")


def valid_post(w, specs=None, **overrides):
    data = {
        "agency": w.home.code,
        "full_name": "Đặng Thị Quầy",
        "id_number": "026190001234",
        "phone": "0912 345 678",
        "email": "",
        "address": "Tổ 3, phường Phúc Yên",
        "tk__child_name": "Đặng Văn Bé",
    }
    for spec in specs or w.specs:
        data[f"tp_{spec.pk}"] = [pdf(f"trang-{spec.pk}-1.pdf"), pdf(f"trang-{spec.pk}-2.pdf")]
    data.update(overrides)
    return data


def test_the_procedure_list_and_search(as_user, w):
    client = as_user(w.reception)
    response = client.get(COUNTER)
    assert response.status_code == 200
    assert w.procedure.name in response.content.decode()
    assert w.procedure.name in client.get(COUNTER, {"q": "khai sinh"}).content.decode()
    none = client.get(COUNTER, {"q": "xây dựng nhà ở riêng lẻ"}).content.decode()
    assert "Không tìm thấy thủ tục" in none


def test_only_reception_officers_receive(as_user, w):
    client = as_user(w.specialist)
    assert client.get(COUNTER).status_code == 403
    # A reception officer of an agency that does not carry out the procedure: 404.
    url = f"{COUNTER}{w.procedure.code}/"
    assert as_user(w.outsider).get(url).status_code == 404


def test_the_form_is_generated_from_the_schema_and_the_specs(as_user, w):
    html = as_user(w.reception).get(f"{COUNTER}{w.procedure.code}/").content.decode()
    assert 'name="tk__child_name"' in html
    assert "Họ, chữ đệm, tên" in html  # the schema's title
    for spec in w.specs:
        assert f'name="tp_{spec.pk}"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html


def test_a_counter_dossier_is_received_with_its_scans(as_user, w):
    client = as_user(w.reception)
    response = client.post(f"{COUNTER}{w.procedure.code}/", valid_post(w))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/mot-cua/ho-so/{dossier.code}/"
    assert dossier.channel == "counter"
    assert dossier.status == Status.PROCESSING
    assert dossier.applicant["id_number"] == "026190001234"
    assert dossier.applicant["phone"] == "0912345678"
    assert dossier.form == {"child_name": "Đặng Văn Bé"}
    components = list(dossier.components.all())
    assert len(components) == 2 * len(w.specs)
    assert all(c.digitised for c in components)
    page = client.get(response["Location"]).content.decode()
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in page
    assert f"/api/v1/dossiers/{dossier.code}/forms/mau-01.pdf" in page


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("id_number", "12345", "Số định danh cá nhân gồm đúng 12 chữ số, bắt đầu bằng mã tỉnh"),
        ("phone", "abc", "Số điện thoại không hợp lệ."),
        ("full_name", "", "Trường này là bắt buộc."),
        ("tk__child_name", "", "Trường này là bắt buộc."),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_received(as_user, w, field, value, message):
    client = as_user(w.reception)
    response = client.post(
        f"{COUNTER}{w.procedure.code}/", valid_post(w, **{field: value}), HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert message in html
    assert "Đặng Thị Quầy" in html or field == "full_name"  # the input is kept
    assert not Dossier.objects.exists()


def test_a_missing_required_scan_is_named(as_user, w):
    data = valid_post(w)
    del data[f"tp_{w.specs[0].pk}"]
    response = as_user(w.reception).post(f"{COUNTER}{w.procedure.code}/", data)
    assert response.status_code == 422
    assert not Dossier.objects.exists()


def test_service_errors_land_on_the_fields(as_user, w):
    """The schema is checked again by the service: its errors reach the right field."""
    new_version = catalog.import_procedure(
        factories.procedure_data(
            code=w.procedure.code,
            form_schema={
                "type": "object",
                "required": ["child_name"],
                "properties": {
                    "child_name": {
                        "type": "string",
                        "title": "Họ, chữ đệm, tên",
                        "pattern": "^[^0-9]+$",
                    }
                },
            },
        )
    )
    data = valid_post(w, list(new_version.components.all()), tk__child_name="Bé 123")
    response = as_user(w.reception).post(f"{COUNTER}{w.procedure.code}/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Không đúng định dạng." in html
    assert not Dossier.objects.exists()


# --------------------------------------------------------------- organisations as applicants

TAX_CODE = "0100109106"  # a valid check digit


def for_organisations(w) -> list:
    """A new version of the world's procedure open to organisations: its component specs."""
    version = catalog.import_procedure(
        factories.procedure_data(code=w.procedure.code, applicant_kinds=["citizen", "organisation"])
    )
    return list(version.components.all())


def organisation_post(w, specs) -> dict:
    return valid_post(
        w,
        specs,
        kind="organisation",
        full_name="Công ty TNHH Nông sản Bắc Hà",
        id_number="",
        tax_code=TAX_CODE,
        representative="Vàng Seo Sử",
    )


def test_an_organisation_is_received_by_its_tax_code_and_representative(as_user, w):
    specs = for_organisations(w)
    client = as_user(w.reception)
    html = client.get(f"{COUNTER}{w.procedure.code}/").content.decode()
    assert 'name="kind"' in html and 'name="tax_code"' in html
    data = organisation_post(w, specs)
    response = client.post(f"{COUNTER}{w.procedure.code}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.applicant["kind"] == "organisation"
    assert dossier.applicant["tax_code"] == TAX_CODE
    assert dossier.applicant["representative"] == "Vàng Seo Sử"
    assert "id_number" not in dossier.applicant
    assert dossier.applicant_id_number == TAX_CODE


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"tax_code": "0100109107"}, "tax_code"),  # wrong check digit
        ({"tax_code": ""}, "tax_code"),
        ({"representative": ""}, "representative"),
    ],
)
def test_an_organisation_needs_a_valid_tax_code_and_a_representative(as_user, w, overrides, field):
    specs = for_organisations(w)
    data = organisation_post(w, specs)
    data.update(overrides)
    response = as_user(w.reception).post(f"{COUNTER}{w.procedure.code}/", data)
    assert response.status_code == 422
    tag = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', response.content.decode()).group(0)
    assert 'aria-invalid="true"' in tag
    assert not Dossier.objects.exists()


def test_a_citizen_still_needs_an_id_number(as_user, w):
    response = as_user(w.reception).post(
        f"{COUNTER}{w.procedure.code}/", valid_post(w, kind="citizen", id_number="")
    )
    assert response.status_code == 422 and not Dossier.objects.exists()


def test_only_the_number_of_the_kind_chosen_counts(as_user, w):
    """A tax code left in its box does not stop a citizen's dossier; an ID number is read
    as printed on the card, in groups."""
    data = valid_post(w, kind="citizen", tax_code="12", id_number="026 190 001 234")
    response = as_user(w.reception).post(f"{COUNTER}{w.procedure.code}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    applicant = Dossier.objects.get().applicant
    assert applicant["id_number"] == "026190001234" and "tax_code" not in applicant


def test_a_procedure_for_citizens_only_offers_no_organisation(as_user, w):
    client = as_user(w.reception)
    html = client.get(f"{COUNTER}{w.procedure.code}/").content.decode()
    assert 'value="organisation"' not in html
    data = valid_post(w, kind="organisation", tax_code=TAX_CODE, representative="A")
    assert client.post(f"{COUNTER}{w.procedure.code}/", data).status_code == 422


# ------------------------------------------------------------------------- repeating groups

HOUSEHOLD = {
    "type": "object",
    "required": ["child_name", "members"],
    "properties": {
        "child_name": {"type": "string", "title": "Họ, chữ đệm, tên"},
        "members": {
            "type": "array",
            "title": "Thành viên gia đình",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["full_name"],
                "properties": {
                    "full_name": {
                        "type": "string",
                        "title": "Họ tên thành viên",
                        "pattern": "^[^0-9]+$",
                    },
                    "born": {"type": "string", "format": "date", "title": "Ngày sinh"},
                },
            },
        },
        "household": {
            "type": "object",
            "title": "Hộ gia đình",
            "properties": {
                "head": {"type": "string", "title": "Chủ hộ"},
                "people": {
                    "type": "array",
                    "title": "Nhân khẩu",
                    "items": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string", "title": "Tên nhân khẩu"},
                            "relation": {
                                "type": "string",
                                "title": "Quan hệ với chủ hộ",
                                "enum": ["Vợ", "Con"],
                            },
                        },
                    },
                },
            },
        },
    },
}


@pytest.fixture
def household(w):
    """The world's procedure in a version whose e-form has repeating groups: its specs."""
    version = catalog.import_procedure(
        factories.procedure_data(code=w.procedure.code, form_schema=HOUSEHOLD)
    )
    return list(version.components.all())


def post_household(as_user, w, household, **answers):
    """The counter page posted with a valid applicant and scans, and `answers`."""
    data = valid_post(w, household, **answers)
    return as_user(w.reception).post(f"{COUNTER}{w.procedure.code}/", data)


def inputs(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)


def value_of(html: str, name: str) -> str | None:
    found = inputs(html, name)
    match = re.search(r'value="([^"]*)"', found[0]) if found else None
    return match.group(1) if match else None


def test_repeating_groups_start_with_one_item_each_and_no_json_box(as_user, w, household):
    html = as_user(w.reception).get(f"{COUNTER}{w.procedure.code}/").content.decode()
    assert inputs(html, "tk__members__0__full_name") and not inputs(
        html, "tk__members__1__full_name"
    )
    # The group inside "Hộ gia đình" is asked question by question, not as JSON.
    assert inputs(html, "tk__household__head") and inputs(html, "tk__household__people__0__name")
    assert 'name="tk__household__people"' not in html and "Nhập dạng JSON" not in html
    assert "Hộ gia đình — Nhân khẩu (1)" in html
    assert value_of(html, "items__members") == "1"
    assert 'value="add:members"' in html and 'value="add:household.people"' in html
    assert 'value="remove:members.0"' in html


def test_adding_an_item_keeps_everything_typed_and_shows_no_error(as_user, w, household):
    response = post_household(
        as_user,
        w,
        household,
        tk__members__0__full_name="Đặng Văn Một",
        tk__household__head="Đặng Văn Chủ",
        items__members="1",
        items__household__people="1",
        action="add:members",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert value_of(html, "tk__members__0__full_name") == "Đặng Văn Một"
    assert inputs(html, "tk__members__1__full_name")  # the new, empty item
    assert value_of(html, "items__members") == "2"
    assert value_of(html, "full_name") == "Đặng Thị Quầy"
    assert value_of(html, "tk__household__head") == "Đặng Văn Chủ"
    assert 'aria-invalid="true"' not in html
    # Without a script the chosen files are not sent back: the page says so.
    assert "vui lòng chọn lại tệp" in html
    assert not Dossier.objects.exists()


def test_removing_an_item_moves_the_next_ones_up(as_user, w, household):
    html = post_household(
        as_user,
        w,
        household,
        tk__members__0__full_name="Một",
        tk__members__1__full_name="Hai",
        tk__members__1__born="2001-02-03",
        tk__members__2__full_name="Ba",
        items__members="3",
        action="remove:members.0",
    ).content.decode()
    assert value_of(html, "tk__members__0__full_name") == "Hai"
    assert value_of(html, "tk__members__0__born") == "2001-02-03"
    assert value_of(html, "tk__members__1__full_name") == "Ba"
    assert not inputs(html, "tk__members__2__full_name")
    assert value_of(html, "items__members") == "2"


def test_a_dossier_with_several_items_is_received_as_lists(as_user, w, household):
    response = post_household(
        as_user,
        w,
        household,
        tk__members__0__full_name="Một",
        tk__members__1__full_name="Hai",
        tk__members__1__born="2001-02-03",
        tk__members__2__full_name="",  # added, then left empty: no item
        items__members="3",
        tk__household__head="Chủ",
        tk__household__people__0__name="Vợ Chủ",
        tk__household__people__0__relation="Vợ",
        tk__household__people__1__name="Con Chủ",
        items__household__people="2",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Dossier.objects.get().form == {
        "child_name": "Đặng Văn Bé",
        "members": [{"full_name": "Một"}, {"full_name": "Hai", "born": "2001-02-03"}],
        "household": {
            "head": "Chủ",
            "people": [{"name": "Vợ Chủ", "relation": "Vợ"}, {"name": "Con Chủ"}],
        },
    }


def _tag(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_an_error_shows_inside_its_item_and_keeps_every_item(as_user, w, household):
    response = post_household(
        as_user,
        w,
        household,
        tk__members__0__full_name="Một",
        tk__members__1__born="2001-02-03",  # a second member without a name
        items__members="2",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-invalid="true"' in _tag(html, "tk__members__1__full_name")
    assert 'aria-invalid="true"' not in _tag(html, "tk__members__0__full_name")
    assert value_of(html, "tk__members__0__full_name") == "Một"
    assert value_of(html, "tk__members__1__born") == "2001-02-03"
    assert value_of(html, "items__members") == "2"
    assert not Dossier.objects.exists()


def test_the_schemas_errors_land_in_the_item_shown_on_the_page(as_user, w, household):
    """The answers leave an empty item out, so the service's `members.0` is the page's
    second item here."""
    response = post_household(
        as_user,
        w,
        household,
        tk__members__1__full_name="Hai 2",
        items__members="2",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-invalid="true"' in _tag(html, "tk__members__1__full_name")
    assert 'aria-invalid="true"' not in _tag(html, "tk__members__0__full_name")
    assert "Không đúng định dạng." in html


def test_a_required_group_left_empty_is_named_on_its_first_question(as_user, w, household):
    response = post_household(as_user, w, household, items__members="1")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in _tag(response.content.decode(), "tk__members__0__full_name")
    assert not Dossier.objects.exists()


def test_with_htmx_the_buttons_swap_the_eform_only_and_leave_the_files_chosen(
    as_user, w, household
):
    html = as_user(w.reception).get(f"{COUNTER}{w.procedure.code}/").content.decode()
    button = re.search(r'<button[^>]*value="add:members"[^>]*>', html).group(0)
    assert 'hx-target="#counter-eform"' in button and 'hx-select="#counter-eform"' in button
    files = ",".join(f"tp_{spec.pk}" for spec in household)
    assert f'hx-params="not {files}"' in button
    assert 'id="counter-eform"' in html
