"""The counter's conditional questions in a real browser: choosing the answer a question
depends on brings it in (htmx) and takes it out again, keeping the chosen files; without
JavaScript the "update the questions" button does it."""

import re

from playwright.sync_api import expect

from motcua.catalog import services as catalog
from motcua.dossiers.models import Dossier
from tests.backoffice.test_counter_conditions import BIRTH
from tests.dossiers import factories

from .conftest import e2e
from .test_backoffice import STEPS, assert_accessible, pdf_file, sign_in
from .test_backoffice import world as world  # the officers' world, as a fixture

pytestmark = e2e


def _birth_procedure(w):
    version = catalog.import_procedure(
        factories.procedure_data(code=w.procedure.code, steps=STEPS, form_schema=BIRTH)
    )
    return list(version.components.all())


def _applicant(page):
    page.get_by_label("Họ, chữ đệm và tên người nộp").fill("Đặng Thị Quầy")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("026190001234")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("Tổ 3, phường Phúc Yên")
    page.get_by_label("Họ, chữ đệm, tên").fill("Đặng Văn Bé")


def test_the_question_follows_the_answer_it_depends_on(pages, world):
    w = world
    specs = _birth_procedure(w)
    page = sign_in(pages, w.reception)
    page.goto(f"/mot-cua/tiep-nhan/{w.procedure.code}/")
    _applicant(page)
    for spec in specs:
        page.get_by_label(spec.name).set_input_files([pdf_file(f"{spec.pk}.pdf")])
    number = page.locator('[name="tk__marriage_number"]')
    expect(number).to_have_count(0)
    married = page.locator('[name="tk__married"][value="co"]')
    married.check()
    expect(number).to_be_visible()
    expect(married).to_be_checked()
    assert_accessible(page)
    page.locator('[name="tk__married"][value="khong"]').check()
    expect(number).to_have_count(0)
    married.check()
    number.fill("12/2020")
    page.locator('[name="tk__siblings__0__full_name"]').fill("Lan")
    page.locator('[name="tk__siblings__0__relation"]').select_option("Em")
    school = page.locator('[name="tk__siblings__0__school"]')
    expect(school).to_be_visible()
    school.fill("Tiểu học Phúc Yên")
    # Only the e-form was swapped: the applicant and the chosen scans are still there.
    expect(page.get_by_label("Họ, chữ đệm và tên người nộp")).to_have_value("Đặng Thị Quầy")
    for spec in specs:
        assert page.get_by_label(spec.name).evaluate("input => input.files.length") == 1
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/mot-cua/ho-so/"))
    assert Dossier.objects.get().form == {
        "child_name": "Đặng Văn Bé",
        "married": True,
        "marriage_number": "12/2020",
        "siblings": [{"full_name": "Lan", "relation": "Em", "school": "Tiểu học Phúc Yên"}],
    }
    assert pages.errors == []


def test_without_javascript_the_update_button_asks_the_question(pages, world):
    w = world
    _birth_procedure(w)
    page = sign_in(pages, w.reception, javascript=False)
    page.goto(f"/mot-cua/tiep-nhan/{w.procedure.code}/")
    _applicant(page)
    page.locator('[name="tk__married"][value="co"]').check()
    page.get_by_role("button", name="Cập nhật câu hỏi").first.click()
    expect(page.locator('[name="tk__marriage_number"]')).to_be_visible()
    expect(page.get_by_label("Họ, chữ đệm và tên người nộp")).to_have_value("Đặng Thị Quầy")
    expect(page.locator('[name="tk__married"][value="co"]')).to_be_checked()
