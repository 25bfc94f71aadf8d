"""The back office in a real browser: a counter dossier from reception to result, signed in
as each officer in turn, with axe-core on every page."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.dossiers import factories

from .conftest import PHONE, e2e

pytestmark = e2e

PASSWORD = "mat-khau-cua-can-bo-1"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
STEPS = [
    {"name": "Tiếp nhận hồ sơ", "role": "reception", "agency": None, "budget_hours": 2},
    {"name": "Thẩm định hồ sơ", "role": "specialist", "agency": None, "budget_hours": 8},
    {"name": "Lãnh đạo phòng xem xét", "role": "head", "agency": None, "budget_hours": 4},
    {"name": "Lãnh đạo ký duyệt", "role": "leader", "agency": None, "budget_hours": 4},
]


@pytest.fixture
def world(transactional_db):
    w = factories.world(steps=STEPS)
    for officer in (w.reception, w.specialist, w.head, w.leader):
        officer.set_password(PASSWORD)
        officer.save()
    for officer in (w.head, w.leader):
        TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    return w


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in(pages, officer, **options):
    # axe-core is a script: pages opened without JavaScript are checked in the other tests.
    check = options.get("javascript", True)
    page = pages.new(**options)
    page.goto("/mot-cua/")
    page.wait_for_url(re.compile(r"/mot-cua/dang-nhap/"))
    if check:
        assert_accessible(page)
    english = options.get("language") == "en"
    page.get_by_label("Username" if english else "Tên đăng nhập").fill(officer.username)
    page.get_by_label("Password" if english else "Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Sign in" if english else "Đăng nhập").click()
    device = TOTPDevice.objects.filter(user=officer, confirmed=True).first()
    if device is not None:  # heads and leaders give the code from their authenticator app
        page.wait_for_url(re.compile(r"/mot-cua/xac-thuc-hai-lop/"))
        if check:
            assert_accessible(page)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label(re.compile("6-digit" if english else "6 chữ số")).fill(f"{code:06d}")
        page.get_by_role("button", name="Confirm" if english else "Xác nhận").click()
    page.wait_for_url(re.compile(r"/mot-cua/$"))
    if check:
        assert_accessible(page)
    return page


def action(page, title):
    return page.locator("section.bo-action").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def pdf_file(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": factories.PDF_BYTES}


def open_from_inbox(page, code):
    page.get_by_role("link", name=code).click()
    page.wait_for_url(f"**/mot-cua/ho-so/{code}/")
    assert_accessible(page)


def forward(page, code):
    form = action(page, "Chuyển bước tiếp theo")
    form.get_by_role("button", name="Chuyển tiếp").click()
    page.wait_for_url(f"**/mot-cua/ho-so/{code}/")
    assert "Đã thực hiện: Chuyển bước tiếp theo." in page.locator(".bo-messages").inner_text()
    assert_accessible(page)


def test_a_counter_dossier_from_reception_to_result(pages, world):
    w = world
    # Reception: the counter screen, the applicant, the e-form, the scans.
    page = sign_in(pages, w.reception)
    page.get_by_role("link", name="Tiếp nhận tại quầy").click()
    assert_accessible(page)
    page.get_by_label("Tên hoặc mã thủ tục").fill("khai sinh")
    page.get_by_role("button", name="Tìm thủ tục").click()
    page.get_by_role("link", name=w.procedure.name).click()
    page.wait_for_url(f"**/mot-cua/tiep-nhan/{w.procedure.code}/")
    assert_accessible(page)
    page.get_by_label("Họ, chữ đệm và tên người nộp").fill("Đặng Thị Quầy")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("026190001234")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("Tổ 3, phường Phúc Yên")
    page.get_by_label("Họ, chữ đệm, tên").fill("Đặng Văn Bé")
    for spec in w.specs:
        page.get_by_label(spec.name).set_input_files(
            [pdf_file(f"{spec.pk}-1.pdf"), pdf_file(f"{spec.pk}-2.pdf")]
        )
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(re.compile(r"/mot-cua/ho-so/"))
    code = page.locator("h1 .bo-code").inner_text()
    assert f"Đã tiếp nhận hồ sơ {code}" in page.locator(".bo-messages").inner_text()
    receipt = page.get_by_role("link", name=re.compile("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))
    assert receipt.get_attribute("href") == f"/api/v1/dossiers/{code}/forms/mau-01.pdf"
    assert_accessible(page)
    # The counter fee is taken at once, in cash, with its electronic receipt; otherwise the
    # result could not be handed over at the end.
    page.get_by_label("Tiền mặt").check()
    page.get_by_role("button", name=re.compile("^Thu .* và lập biên lai$")).click()
    page.wait_for_url(re.compile(rf"/mot-cua/ho-so/{re.escape(code)}/#phi-le-phi$"))
    assert "biên lai BL-" in page.locator(".bo-messages").inner_text()
    assert_accessible(page)
    forward(page, code)
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/mot-cua/dang-nhap/"))

    # Specialist, then head: each finds it at their step and forwards it.
    for officer in (w.specialist, w.head):
        page = sign_in(pages, officer)
        open_from_inbox(page, code)
        forward(page, code)

    # Leader: signs and attaches the result.
    page = sign_in(pages, w.leader)
    open_from_inbox(page, code)
    finish = action(page, "Ký duyệt, có kết quả giải quyết")
    finish.get_by_label("Tệp kết quả giải quyết (PDF)").set_input_files(pdf_file("ket-qua.pdf"))
    finish.get_by_role("button", name="Hoàn thành hồ sơ").click()
    page.wait_for_url(f"**/mot-cua/ho-so/{code}/")
    assert "Đã có kết quả, chờ trả" in page.locator(".bo-badges").inner_text()
    assert_accessible(page)

    # Reception: hands the result over at the counter.
    page = sign_in(pages, w.reception)
    open_from_inbox(page, code)
    give = action(page, "Trả kết quả")
    give.get_by_label("Trực tiếp tại quầy").check()
    give.get_by_role("button", name="Xác nhận đã trả kết quả").click()
    page.wait_for_url(f"**/mot-cua/ho-so/{code}/")
    assert "Đã trả kết quả" in page.locator(".bo-badges").inner_text()
    timeline = page.locator(".bo-timeline").inner_text()
    for step in ("Thẩm định hồ sơ", "Lãnh đạo phòng xem xét", "Lãnh đạo ký duyệt"):
        assert step in timeline
    assert_accessible(page)
    assert pages.errors == []


def test_the_counter_adds_and_removes_family_members_keeping_the_chosen_files(pages, world):
    from playwright.sync_api import expect

    from motcua.catalog import services as catalog
    from motcua.dossiers.models import Dossier
    from tests.backoffice.test_counter import HOUSEHOLD

    w = world
    version = catalog.import_procedure(
        factories.procedure_data(code=w.procedure.code, steps=STEPS, form_schema=HOUSEHOLD)
    )
    specs = list(version.components.all())
    page = sign_in(pages, w.reception)
    page.goto(f"/mot-cua/tiep-nhan/{w.procedure.code}/")
    page.get_by_label("Họ, chữ đệm và tên người nộp").fill("Đặng Thị Quầy")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("026190001234")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("Tổ 3, phường Phúc Yên")
    page.get_by_label("Họ, chữ đệm, tên").fill("Đặng Văn Bé")
    for spec in specs:
        page.get_by_label(spec.name).set_input_files([pdf_file(f"{spec.pk}.pdf")])
    page.locator('[name="tk__members__0__full_name"]').fill("Đặng Văn Một")
    page.get_by_role("button", name="Thêm một mục: Thành viên gia đình").click()
    second = page.locator('[name="tk__members__1__full_name"]')
    expect(second).to_be_visible()
    second.fill("Đặng Văn Hai")
    assert_accessible(page)
    page.get_by_role("button", name="Xóa Thành viên gia đình (1)").click()
    expect(page.locator('[name="tk__members__1__full_name"]')).to_have_count(0)
    expect(page.locator('[name="tk__members__0__full_name"]')).to_have_value("Đặng Văn Hai")
    # Only the e-form was swapped: the applicant and the chosen scans are still there.
    expect(page.get_by_label("Họ, chữ đệm, tên")).to_have_value("Đặng Văn Bé")
    for spec in specs:
        chosen = page.get_by_label(spec.name).evaluate("input => input.files.length")
        assert chosen == 1
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/mot-cua/ho-so/"))
    assert Dossier.objects.get().form["members"] == [{"full_name": "Đặng Văn Hai"}]


def test_the_back_office_works_without_javascript_and_on_phones(pages, world):
    d = factories.counter(world, timezone.now() - timedelta(minutes=5))
    page = sign_in(pages, world.reception, javascript=False, viewport=PHONE)
    page.goto(f"/mot-cua/ho-so/{d.code}/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the dossier page scrolls sideways by {overflow}px"
    form = action(page, "Yêu cầu bổ sung, hoàn thiện hồ sơ")
    form.get_by_label("Nội dung khác cần bổ sung").fill("Giấy ủy quyền")
    form.get_by_role("button", name="Gửi yêu cầu bổ sung (Mẫu 02)").click()
    page.wait_for_url(f"**/mot-cua/ho-so/{d.code}/")
    assert "Chờ bổ sung" in page.locator(".bo-badges").inner_text()


def test_an_error_page_and_the_english_inbox_pass_axe(pages, world):
    page = sign_in(pages, world.specialist)
    page.goto("/mot-cua/tiep-nhan/")
    assert_accessible(page)
    d = factories.counter(world, timezone.now() - timedelta(minutes=5))
    english = sign_in(pages, world.reception, language="en")
    assert english.locator("html").get_attribute("lang") == "en"
    assert english.get_by_role("link", name="Dossiers to handle").is_visible()
    english.goto(f"/mot-cua/ho-so/{d.code}/")
    assert_accessible(english)


def _demo():
    """The demo catalog and a year of demo dossiers; the dossier in process with the longest
    history, the reception officer of its agency, and its procedure."""
    from django.db.models import Count, F

    from motcua.catalog import demo as catalog_demo
    from motcua.catalog.models import OfficerRole
    from motcua.catalog.queries import published_procedures
    from motcua.dossiers import demo as dossiers_demo
    from motcua.dossiers.models import Dossier

    catalog_demo.seed()
    dossiers_demo.seed()
    # A dossier in process at its own agency's step, with the longest history.
    shown = (
        Dossier.objects.filter(status="processing", current_agency=F("agency"))
        .annotate(n=Count("events"))
        .order_by("-n", "id")
        .first()
    )
    reception = OfficerRole.objects.filter(agency_id=shown.agency_id, role="reception").first()
    at_step = OfficerRole.objects.filter(
        agency_id=shown.agency_id, role=shown.current_step.role
    ).first()
    for role in (reception, at_step):
        role.user.set_password(PASSWORD)
        role.user.save()
    procedure = published_procedures().filter(code=shown.procedure.code).first()
    return reception.user, at_step.user, shown, procedure


@pytest.mark.skipif(os.environ.get("MOTCUA_SCREENSHOTS") != "1", reason="set MOTCUA_SCREENSHOTS=1")
def test_screenshots(pages, transactional_db):
    reception, at_step, shown, procedure = _demo()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = sign_in(pages, reception)
    page.goto("/mot-cua/?tab=tat-ca")
    page.screenshot(path=SHOTS / "backoffice-inbox.png", full_page=True)
    page.goto("/mot-cua/tiep-nhan/")
    page.screenshot(path=SHOTS / "backoffice-counter-procedures.png", full_page=True)
    page.goto(f"/mot-cua/tiep-nhan/{procedure.code}/")
    page.screenshot(path=SHOTS / "backoffice-counter.png", full_page=True)
    officer = sign_in(pages, at_step)
    officer.goto(f"/mot-cua/ho-so/{shown.code}/")
    officer.screenshot(path=SHOTS / "backoffice-dossier.png", full_page=True)
    phone = sign_in(pages, reception, viewport=PHONE)
    phone.goto("/mot-cua/?tab=tat-ca")
    phone.screenshot(path=SHOTS / "backoffice-inbox-phone.png", full_page=True)


LONG_NAME = (
    "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với "
    "đất lần đầu cho hộ gia đình, cá nhân đã được giao đất không đúng thẩm quyền"
)


@pytest.mark.parametrize("width", [1024, 1280])
def test_inbox_codes_stay_on_one_line(pages, world, width):
    """Next to a long procedure name and a step of another agency, as in the demo."""
    world.procedure.name = LONG_NAME
    world.procedure.save(update_fields=["name"])
    for _ in range(3):
        factories.counter(world, timezone.now() - timedelta(minutes=5))
    page = sign_in(pages, world.reception, viewport={"width": width, "height": 900})
    codes = page.locator("table.bo-table a.bo-code")
    assert codes.count() == 3
    for i in range(3):
        assert codes.nth(i).evaluate("e => e.getClientRects().length") == 1
    # The other columns give way: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_unpaid_fee_holding_back_the_result_is_said_with_the_way_to_collect(pages, world):
    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier

    d = factories.counter(world, timezone.now() - timedelta(minutes=30))
    Dossier.objects.filter(pk=d.pk).update(current_step=world.procedure.steps.last())
    result = factories.upload(world.leader, name="ket-qua.pdf")
    services.perform(d.code, "finish", world.leader, result_file_id=str(result.pk))
    page = sign_in(pages, world.reception)
    page.goto(f"/mot-cua/ho-so/{d.code}/")
    notice = page.locator("[data-unpaid]")
    assert "Chưa thu phí 8.000 đồng: thu phí trước khi trả kết quả." in notice.inner_text()
    assert "Bạn không có thao tác nào" not in page.content()
    assert_accessible(page)
    notice.get_by_role("link", name="Thu phí tại quầy").click()
    page.wait_for_url(re.compile(r"#thu-tai-quay$"))
    page.get_by_label("Tiền mặt").check()
    page.get_by_role("button", name=re.compile("^Thu .* và lập biên lai$")).click()
    page.wait_for_url(re.compile(r"#phi-le-phi$"))
    assert page.locator("[data-unpaid]").count() == 0
    give = action(page, "Trả kết quả")
    give.get_by_label("Trực tiếp tại quầy").check()
    give.get_by_role("button", name="Xác nhận đã trả kết quả").click()
    page.wait_for_url(f"**/mot-cua/ho-so/{d.code}/")
    assert "Đã trả kết quả" in page.locator(".bo-badges").inner_text()
    assert pages.errors == []
