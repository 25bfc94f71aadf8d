"""Assisted submission in a real browser on a phone: a community digital team member signs
in, submits for a citizen who consents (a code sent to the citizen's phone with JavaScript;
the signed form's scan without), and the citizen then finds the dossier in "my dossiers".
axe-core and the page weight on every page of the helper's way, in both languages; the
helper's pages walked from "Nộp hộ công dân" like the rest of the portal."""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from motcua.catalog.models import Agency
from motcua.dossiers import services
from motcua.dossiers.models import DigitalTeamMember, Dossier
from motcua.integrations.models import LocalResident
from tests.dossiers import factories as f
from tests.dossiers.factories import PDF_BYTES
from tests.dossiers.test_assisted import capture_sms, helped_world
from tests.portal import submission_data as data
from tests.portal.catalog_data import COMMUNE

from .conftest import DESKTOP, e2e
from .test_portal_walk import assert_walked_well, signed_in_page, walk
from .test_submission import WEIGHT

pytestmark = e2e

PHONE = {"width": 360, "height": 740}
MAX_PAGE_BYTES = 100 * 1024
PASSWORD = "mật-khẩu-dài-2026"


@pytest.fixture
def w(transactional_db):
    world = helped_world()
    for user in (world.member, world.citizen):
        user.set_password(PASSWORD)
        user.save()
    return world


@pytest.fixture
def sms(monkeypatch):
    return capture_sms(monkeypatch)


def sign_in(page, username):
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.account-form button[type=submit]").click()


class Checked:
    """Each page the helper reaches: no axe-core violations, light enough (with JS)."""

    def __init__(self, page, javascript):
        self.page, self.javascript, self.weights = page, javascript, {}

    def __call__(self):
        if not self.javascript:  # axe-core and the weight are read by scripts
            return
        self.page.wait_for_load_state("networkidle")
        results = Axe().run(self.page)
        assert results.violations_count == 0, (self.page.url, results.generate_report())
        self.weights[self.page.url] = self.page.evaluate(WEIGHT)
        assert self.weights[self.page.url] <= MAX_PAGE_BYTES, self.weights


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_team_member_submits_for_a_citizen_who_then_sees_it(pages, w, sms, javascript, tmp_path):
    page = pages.new(viewport=PHONE, javascript=javascript)
    check = Checked(page, javascript)
    page.goto("/tai-khoan/dang-nhap/")
    sign_in(page, w.member.username)
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    page.get_by_role("link", name="Nộp hộ công dân").click()
    page.wait_for_url("**/nop-ho/")
    expect(page.get_by_text("Bạn chưa nộp hộ hồ sơ nào.")).to_be_visible()
    check()

    # From the procedure's submission page.
    page.goto(f"/thu-tuc/{w.procedure.code}/nop-ho-so/")
    page.get_by_role("link", name="Nộp hộ công dân").last.click()
    page.wait_for_url(f"**/nop-ho/{w.procedure.code}/")
    check()
    page.get_by_label("Số định danh cá nhân của công dân").fill("0123")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check()
    page.get_by_label("Số định danh cá nhân của công dân").fill(w.citizen.id_number)
    method = "Mã xác nhận gửi tới" if javascript else "Phiếu đồng ý có chữ ký"
    page.get_by_label(method).check()
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/dong-y/")
    check()

    if javascript:
        # The code goes to the citizen's phone; the citizen reads it out.
        page.get_by_role("button", name="Gửi mã xác nhận").click()
        expect(page.get_by_text("Đã gửi mã xác nhận tới số *******678")).to_be_visible()
        check()
        code = re.search(r"\b(\d{6})\b", sms[-1][1]).group(1)
        page.get_by_label("Mã xác nhận công dân đọc cho bạn").fill(code)
    else:
        scan = tmp_path / "phieu-dong-y.pdf"
        scan.write_bytes(PDF_BYTES)
        page.get_by_label("Bản quét hoặc ảnh chụp phiếu đồng ý đã ký").set_input_files(str(scan))
    page.get_by_role("button", name="Ghi nhận và bắt đầu khai hồ sơ").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/\d+/$"))
    expect(page.get_by_text("Bạn đang nộp hộ công dân")).to_be_visible()
    check()

    # The same e-form pages as the citizen's own submission.
    page.locator(".tasks__item a").first.click()
    page.locator("#id_tk__child_name").fill("Nguyễn Văn Con")
    page.locator(".actions button[value=continue]").click()
    page.wait_for_url(re.compile(r"/giay-to/$"))
    check()
    upload = tmp_path / "giay-to.pdf"
    upload.write_bytes(PDF_BYTES)
    for index in range(2):
        section = page.locator("section.component").nth(index)
        section.locator("input[name=file]").set_input_files(str(upload))
        section.get_by_role("button", name="Tải lên").click()
        expect(page.locator("section.component").nth(index)).to_contain_text("giay-to.pdf")
    page.get_by_role("link", name="Tiếp tục").click()
    page.wait_for_url(re.compile(r"/kiem-tra/$"))
    check()
    answers = page.locator("main").inner_text()
    assert (
        "Người nộp hộ" in answers
        and "Lý Văn Hải" in answers
        and "Nguyễn Văn An (dân cư)" in answers
    )
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/nop-ho/ho-so/[^/]+/da-nop/$"))
    code = page.url.rstrip("/").split("/")[-2]
    expect(page.locator(".tr-code--large")).to_contain_text(code)
    check()
    page.get_by_role("link", name="Xem hồ sơ").click()
    page.wait_for_url(f"**/nop-ho/ho-so/{code}/")
    check()
    page.get_by_role("link", name="Hồ sơ đã nộp hộ").first.click()
    page.wait_for_url("**/nop-ho/")
    expect(page.locator("main")).to_contain_text(code)

    dossier = Dossier.objects.get(code=code)
    assert dossier.applicant_user == w.citizen and dossier.helper_user == w.member

    # The citizen signs in on their own phone and finds the dossier.
    citizen = pages.new(viewport=PHONE, javascript=javascript)
    citizen.goto("/ho-so-cua-toi/")
    sign_in(citizen, w.citizen.id_number)
    citizen.wait_for_url("**/ho-so-cua-toi/")
    citizen.get_by_role("link", name=w.procedure.name).first.click()
    citizen.wait_for_url(f"**/ho-so-cua-toi/{code}/")
    expect(citizen.locator("main")).to_contain_text("với sự hỗ trợ của Lý Văn Hải")
    assert "Nộp hộ công dân" not in citizen.locator("header").inner_text()
    # The refused ID number answers 422, as a form with errors does; nothing else complains.
    assert [e for e in pages.errors if "status of 422" not in e] == []
    print(f"\nassisted pages (js={javascript}), bytes of HTML+CSS+JS:", check.weights)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_a_helper_reaches(pages, live_server, w, language):
    at = f.local(2026, 11, 16, 9)
    d = services.submit_online(
        applicant_user=w.member,
        procedure=w.procedure.code,
        agency=w.home.code,
        form={"child_name": "Nguyễn Văn Con"},
        components=f.components_for(w, w.member),
        helper={"consent_method": "in_person"},
        on_behalf_of=w.citizen.id_number,
        now=at,
    )
    services.perform(d.code, "receive", w.reception, now=at.replace(hour=10))
    services.perform(
        d.code, "request_supplement", w.reception, now=at.replace(hour=11), missing=[w.specs[0].pk]
    )
    page = signed_in_page(pages, live_server, w.member, language)
    found = walk(page, ["/nop-ho/", "/"])
    must = ["/nop-ho/", f"/nop-ho/ho-so/{d.code}/", f"/nop-ho/{w.procedure.code}/"]
    assert_walked_well(found, language, must)
    assert pages.errors == [] or all("status of 4" in e for e in pages.errors)


OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
screenshots = pytest.mark.skipif(
    os.environ.get("MOTCUA_SCREENSHOTS") != "1", reason="set MOTCUA_SCREENSHOTS=1"
)


def shoot(page, name):
    """`name`-phone.png and `name`.png of the page as it is."""
    OUT.mkdir(parents=True, exist_ok=True)
    for viewport, suffix in ((PHONE, "-phone"), (DESKTOP, "")):
        page.set_viewport_size(viewport)
        page.reload()
        page.screenshot(path=OUT / f"{name}{suffix}.png", full_page=True)


@screenshots
def test_screenshots_of_starting(pages, transactional_db, sms):
    """docs/screenshots/assisted-*: the start, the consent by code, the pre-filled form."""
    data.build(birth_only=True)
    citizen = data.citizen()
    LocalResident.objects.create(
        id_number=citizen.id_number,
        full_name="Nguyễn Thị Hoa",
        date_of_birth=date(1995, 4, 2),
        sex="Nữ",
        permanent_address="Phường Phúc Yên, tỉnh Phú Thọ",
    )
    member = f.user("Lý Văn Hải", password=PASSWORD, phone="0912345606")
    DigitalTeamMember.objects.create(
        user=member, agency=Agency.objects.get(code=COMMUNE), team_name="Tổ công nghệ số cộng đồng"
    )
    page = pages.new(viewport=PHONE)
    page.goto("/tai-khoan/dang-nhap/")
    sign_in(page, member.username)
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    page.goto(f"/nop-ho/{data.BIRTH}/")
    shoot(page, "assisted-start")
    page.get_by_label("Số định danh cá nhân của công dân").fill(citizen.id_number)
    page.get_by_label("Mã xác nhận gửi tới").check()
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/dong-y/")
    page.get_by_role("button", name="Gửi mã xác nhận").click()
    expect(page.get_by_label("Mã xác nhận công dân đọc cho bạn")).to_be_visible()
    page.set_viewport_size(PHONE)
    page.screenshot(path=OUT / "assisted-consent-phone.png", full_page=True)
    page.get_by_label("Mã xác nhận công dân đọc cho bạn").fill(
        re.search(r"\b(\d{6})\b", sms[-1][1]).group(1)
    )
    page.get_by_role("button", name="Ghi nhận và bắt đầu khai hồ sơ").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/\d+/$"))
    shoot(page, "assisted-tasks")
    page.locator(".tasks__item a").first.click()
    page.wait_for_url(re.compile(r"/trang/0/$"))
    shoot(page, "assisted-form")


@screenshots
def test_screenshots_of_the_helpers_dossiers(pages, live_server, w):
    """docs/screenshots/assisted-home*, assisted-dossier*: the list and one dossier."""
    at = f.local(2026, 11, 16, 9)
    for n in range(2):
        d = services.submit_online(
            applicant_user=w.member,
            procedure=w.procedure.code,
            agency=w.home.code,
            form={"child_name": "Nguyễn Văn Con"},
            components=f.components_for(w, w.member),
            helper={"consent_method": "in_person", "consent_note": "Con trai chứng kiến."},
            on_behalf_of=w.citizen.id_number,
            now=at.replace(hour=9 + n),
        )
    services.perform(d.code, "receive", w.reception, now=at.replace(hour=14))
    page = signed_in_page(pages, live_server, w.member, "vi")
    page.goto("/nop-ho/")
    shoot(page, "assisted-home")
    page.goto(f"/nop-ho/ho-so/{d.code}/")
    shoot(page, "assisted-dossier")
