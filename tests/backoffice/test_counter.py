"""Counter reception: choose the procedure, enter the applicant and the e-form, scan the
components, get the dossier with its receipt."""

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
        ("id_number", "12345", "Số định danh cá nhân gồm đúng 12 chữ số."),
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
