"""A new citizen's whole journey in Chromium at a phone's width, with and without JavaScript:
sign up and confirm by code, find "đăng ký khai sinh", fill the birth registration (the
registry's answers marked as such), leave and resume the draft on another device, attach
files, check, submit, see the code and the due date; answer the office's supplement request;
download the result and rate it. The officers act through the services meanwhile. axe-core
checks the pages along the way."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from motcua.catalog.models import Agency
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import perform
from motcua.feedback.models import Rating
from motcua.integrations.models import LocalResident
from motcua.portal.tracking.display import due_in_words
from tests.accounts import factories as accounts
from tests.accounts.conftest import last_emailed_code
from tests.dossiers import factories as f
from tests.portal import submission_data as data

from .conftest import (
    PHONE,
    assert_accessible,
    choose_commune,
    continue_,
    e2e,
    fill_sign_in,
    unexpected,
)

pytestmark = e2e

NAME = "Phạm Thị Mai"
EMAIL = "mai@example.vn"
RESULT = f.PDF_BYTES.replace(b"trailer", b"% Giay khai sinh\ntrailer")
PDF = {"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": f.PDF_BYTES}
MISSING_NOTE = "Bản sao giấy chứng nhận kết hôn của cha mẹ"


@pytest.fixture
def world(transactional_db):
    data.build(birth_only=True)
    agency = Agency.objects.get(code=f.HOME)
    number = accounts.id_number()
    # The population registry (local adapter) knows her, but not her permanent address.
    LocalResident.objects.create(
        id_number=number, full_name=NAME, date_of_birth=date(1994, 8, 19), sex="Nữ"
    )
    return {
        "id_number": number,
        "reception": f.officer(agency, "reception", full_name="Lê Tiếp Nhận"),
        "leader": f.officer(agency, "leader", full_name="Vũ Lãnh Đạo"),
    }


def accessible(page, javascript):
    # axe-core runs as a script in the page: with scripts off it cannot run, and the pages
    # are the same HTML, checked in the run with JavaScript.
    if javascript:
        assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_new_citizen_from_sign_up_to_rating_on_a_phone(pages, world, javascript, tmp_path):
    page = pages.new(viewport=PHONE, javascript=javascript)

    # Sign up with the ID number, confirm by the code sent to the e-mail address.
    page.goto("/")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_role("link", name="Đăng ký").click()
    page.wait_for_url(re.compile(r"/tai-khoan/dang-ky/$"))
    accessible(page, javascript)
    page.get_by_label("Số định danh cá nhân (CCCD)").fill(world["id_number"])
    page.get_by_label("Họ và tên").fill(NAME)
    page.get_by_label("Thư điện tử (nếu có)").fill(EMAIL)
    page.get_by_label(re.compile(r"^Mật khẩu:?$")).fill(accounts.PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(accounts.PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    page.wait_for_url(re.compile(r"/tai-khoan/xac-nhan/$"))
    assert "m***@example.vn" in page.locator(".account__messages").inner_text()
    accessible(page, javascript)
    page.get_by_label("Mã xác nhận").fill(last_emailed_code())
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/"))
    assert NAME in page.locator(".account-nav").inner_text()

    # Find the procedure from the home page and start.
    page.goto("/")
    box = page.get_by_label("Tên hoặc mã thủ tục")
    box.fill("đăng ký khai sinh")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/thu-tuc/\?q="))
    page.locator(".card__title").first.get_by_role("link").click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    page.locator("a[href$='/thu-tuc/1.001193/nop-ho-so/']").first.click()
    page.wait_for_url("**/thu-tuc/1.001193/nop-ho-so/")
    page.get_by_role("button", name="Bắt đầu").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/\d+/$"))
    draft_url = page.url
    accessible(page, javascript)

    # The requester: what the registry knows is there, marked as coming from it.
    page.get_by_role("link", name="Người yêu cầu").first.click()
    expect(page.locator("#id_tk__requester__full_name")).to_have_value(NAME)
    assert page.locator("#id_tk__requester__id_number").input_value() == world["id_number"]
    assert page.locator("#id_tk__requester__date_of_birth").input_value() == "1994-08-19"
    assert "Lấy từ Cơ sở dữ liệu quốc gia về dân cư" in page.locator(".eform").inner_text()
    accessible(page, javascript)
    continue_(page)
    # What it does not know is asked: next to the field and in the summary, the rest kept.
    expect(page.locator(".error-summary")).to_contain_text("Nơi thường trú: Bắt buộc nhập.")
    assert page.locator("#id_tk__requester__full_name").input_value() == NAME
    accessible(page, javascript)
    page.locator("#id_tk__requester__permanent_address").fill("Phúc Yên, Phú Thọ")
    continue_(page)

    # A conditional question: hidden by the script, else explained and left empty.
    page.locator("#id_tk__relationship").fill("Mẹ")
    page.get_by_label("Không", exact=True).check()
    if javascript:
        expect(page.locator("#id_tk__authorisation")).to_be_hidden()
    else:
        expect(page.locator("#id_tk__authorisation")).to_be_visible()
    continue_(page)

    # The child, then leave: the draft waits on the server; sign out of this phone.
    page.locator("#id_tk__child__full_name").fill("Nguyễn Minh An")
    page.locator("#id_tk__child__date_of_birth").fill("2026-10-01")
    page.locator("#id_tk__child__sex").select_option("Nam")
    page.locator("#id_tk__child__place_of_birth").fill("Bệnh viện Đa khoa tỉnh Phú Thọ")
    page.get_by_role("button", name="Lưu nháp và thoát").click()
    page.wait_for_url("**/nop-ho-so/")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()

    # Another device: sign in again and carry on where it was left.
    page = pages.new(viewport=PHONE, javascript=javascript)
    page.goto("/nop-ho-so/")
    fill_sign_in(page, world["id_number"], accounts.PASSWORD)
    page.wait_for_url("**/nop-ho-so/")
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    page.wait_for_url(draft_url)
    expect(page.locator(".tag--done")).to_have_count(2)
    page.get_by_role("link", name="Người được khai sinh").click()
    expect(page.locator("#id_tk__child__full_name")).to_have_value("Nguyễn Minh An")
    choose_commune(page, javascript, data.PROVINCE, data.COMMUNES[0])
    continue_(page)
    page.locator("#id_tk__mother__full_name").fill("Nguyễn Thị Hoa")
    for _ in range(4):  # the mother, the father, copies, how the result is delivered
        continue_(page)

    # Attachments: each required component, listed with its name once uploaded.
    page.wait_for_url(re.compile(r"/giay-to/$"))
    accessible(page, javascript)
    upload = tmp_path / "giay-to.pdf"
    upload.write_bytes(f.PDF_BYTES)
    for index in range(2):
        section = page.locator("section.component").nth(index)
        section.locator("input[name=file]").set_input_files(str(upload))
        section.get_by_role("button", name="Tải lên").click()
        expect(page.locator("section.component").nth(index)).to_contain_text("giay-to.pdf")
    page.get_by_role("link", name="Tiếp tục").click()

    # Check the answers, submit, and see the code and the due date.
    page.wait_for_url(re.compile(r"/kiem-tra/$"))
    check = page.locator("main").inner_text()
    for answer in (NAME, "Phúc Yên, Phú Thọ", "Nguyễn Minh An", data.COMMUNES[0], "giay-to.pdf"):
        assert answer in check
    accessible(page, javascript)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/[^/]+/da-nop/$"))
    code = page.url.rstrip("/").split("/")[-2]
    assert re.fullmatch(r"000\.00\.31\.H26-\d{6}-0001", code)
    expect(page.locator(".tr-code--large")).to_contain_text(code)
    dossier = Dossier.objects.get(code=code)
    assert due_in_words(dossier.due_at) in page.locator("main").inner_text()
    assert dossier.applicant_user == get_user_model().objects.get(username=world["id_number"])
    assert dossier.from_registry  # the kept registry answers count (indicator 5.6)
    accessible(page, javascript)
    # Back and submit again: still the one dossier.
    page.go_back()
    if page.get_by_role("button", name="Nộp hồ sơ").count():
        page.get_by_role("button", name="Nộp hồ sơ").click()
        page.wait_for_url(f"**/ho-so-cua-toi/{code}/da-nop/")
    assert Dossier.objects.filter(code__isnull=False).count() == 1

    # The office receives it and asks for a document of the procedure and one thing more.
    reception, leader = world["reception"], world["leader"]
    certificate = dossier.procedure.components.order_by("order", "id")[1]
    perform(code, "receive", reception)
    perform(code, "request_supplement", reception, missing=[certificate.pk, MISSING_NOTE])

    # The citizen hears of it and answers from the dossier page.
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"Thông báo \d+ chưa đọc")).click()
    page.wait_for_url("**/thong-bao/")
    accessible(page, javascript)
    page.get_by_role("link", name=f"Xem hồ sơ {code}").first.click()
    expect(page.get_by_role("heading", name="Bổ sung hồ sơ")).to_be_visible()
    accessible(page, javascript)
    # Without the procedure's document first: the error says which, the file chosen stays.
    page.get_by_label(MISSING_NOTE).set_input_files({**PDF, "name": "giay-ket-hon.pdf"})
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    expect(page.get_by_role("heading", name="Chưa gửi được giấy tờ bổ sung")).to_be_visible()
    expect(page.get_by_text("Đã tải lên: giay-ket-hon.pdf")).to_be_visible()
    accessible(page, javascript)
    page.get_by_label(certificate.name).set_input_files(PDF)
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    expect(page.get_by_text("Đã gửi giấy tờ bổ sung. Hồ sơ được giải quyết tiếp.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.components.filter(supplement=True).count() == 2

    # The office finishes with the result and returns it electronically.
    perform(code, "forward", reception)
    result = f.upload(leader, data=RESULT, name="giay-khai-sinh.pdf")
    perform(code, "finish", leader, result_file_id=str(result.pk))
    perform(code, "return_result", reception, delivery="electronic")

    # The citizen downloads the result and rates the service.
    page.goto(f"/ho-so-cua-toi/{code}/")
    accessible(page, javascript)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải kết quả về").click()
    assert download.value.suggested_filename == "giay-khai-sinh.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == RESULT
    page.get_by_label("4 – Hài lòng").check()
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Không phải đi lại, chỉ chờ hơi lâu.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn bạn đã đánh giá.")).to_be_visible()
    expect(page.get_by_text("Bạn đã đánh giá 4/5.")).to_be_visible()
    accessible(page, javascript)
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.score, rating.comment) == (4, "Không phải đi lại, chỉ chờ hơi lâu.")
    assert unexpected(pages.errors) == []
