"""Feedback in Chromium: a citizen sends it on the public page, a leader accepts, answers it
with a photo and publishes it in the back office, the citizen reopens it; axe-core finds no
violation on each page."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.feedback.models import Feedback
from tests.feedback import factories as ff

from .conftest import assert_accessible, e2e
from .test_backoffice import PASSWORD, sign_in
from .test_tracking import signed_in

pytestmark = e2e
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def fw(transactional_db):
    w = ff.world()
    w.leader.set_password(PASSWORD)
    w.leader.save()
    TOTPDevice.objects.create(user=w.leader, name="app", confirmed=True)
    return w


def officer_action(page, label):
    form = page.locator("form.bo-action").filter(
        has=page.get_by_role("heading", name=label, exact=True)
    )
    return form


def test_feedback_from_the_public_page_to_a_reopened_answer(pages, live_server, fw):
    citizen = signed_in(pages, live_server, fw.citizen)
    citizen.goto("/phan-anh/")
    assert_accessible(citizen)
    citizen.get_by_role("link", name="Gửi phản ánh, kiến nghị").first.click()
    assert_accessible(citizen)
    citizen.get_by_label("Tiêu đề").fill("Cống thoát nước bị tắc")
    citizen.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Cống trước nhà văn hóa tổ 3 bị tắc, nước tràn ra đường mỗi khi mưa."
    )
    citizen.get_by_label("Lĩnh vực").select_option("place")
    citizen.get_by_label("Cơ quan được phản ánh").select_option(fw.home.code)
    citizen.get_by_role("button", name="Gửi phản ánh").click()
    citizen.wait_for_url(re.compile(r"/phan-anh/\d+/$"))
    assert "đã được tiếp nhận" in citizen.content()
    assert_accessible(citizen)
    fb = Feedback.objects.get()

    leader = sign_in(pages, fw.leader)
    leader.goto("/mot-cua/phan-anh/")
    assert_accessible(leader)
    leader.get_by_role("link", name=str(fb.pk), exact=True).click()
    assert_accessible(leader)
    officer_action(leader, "Tiếp nhận xử lý").get_by_role("button").click()
    leader.wait_for_url(f"**/mot-cua/phan-anh/{fb.pk}/")
    answer = officer_action(leader, "Trả lời")
    answer.get_by_label("Nội dung trả lời").fill("Đã nạo vét cống, nước đã thoát.")
    answer.get_by_label("Minh chứng (ảnh, PDF)").set_input_files(
        {"name": "da-sua.png", "mimeType": "image/png", "buffer": PNG}
    )
    answer.locator("button[type=submit]").click()
    leader.wait_for_url(f"**/mot-cua/phan-anh/{fb.pk}/")
    assert "da-sua.png" in leader.content()
    assert_accessible(leader)
    officer_action(leader, "Công khai kết quả trả lời").get_by_role("button").click()
    leader.wait_for_url(f"**/mot-cua/phan-anh/{fb.pk}/")
    assert_accessible(leader)

    citizen.goto(f"/phan-anh/{fb.pk}/")
    assert "Đã nạo vét cống" in citizen.content()
    citizen.get_by_role("button", name="Không hài lòng").click()
    citizen.get_by_label("Vì sao trả lời chưa giải quyết được việc của bạn").fill(
        "Mưa hôm qua cống lại tràn."
    )
    citizen.get_by_role("button", name="Mở lại phản ánh").click()
    citizen.wait_for_url(f"**/phan-anh/{fb.pk}/")
    assert_accessible(citizen)
    fb.refresh_from_db()
    assert (fb.status, fb.reaction, fb.reopen_count) == ("processing", "dislike", 1)
    assert fb.attachments.filter(purpose="evidence").count() == 1
    citizen.goto("/phan-anh/")
    assert_accessible(citizen)


def test_anonymous_feedback_without_javascript(pages, fw):
    from django.core import mail

    page = pages.new(javascript=False)
    page.goto("/phan-anh/gui/")
    page.get_by_label("Tiêu đề").fill("Cây xanh đổ chắn đường")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Cây xanh đổ chắn ngang đường Trần Phú sau cơn bão, xe không đi được."
    )
    page.get_by_label("Lĩnh vực").select_option("place")
    page.get_by_label("Cơ quan được phản ánh").select_option(fw.home.code)
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("khach@example.vn")
    page.get_by_role("button", name="Gửi mã xác nhận").click()
    page.wait_for_load_state()
    assert "Đã gửi mã xác nhận tới k***@example.vn." in page.content()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Mã xác nhận").fill(code)
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_url(re.compile(r"/phan-anh/\d+/\?k="))
    assert "Lưu lại địa chỉ trang này" in page.content()
    fb = Feedback.objects.get()
    assert (fb.submitter, fb.contact_email) == (None, "khach@example.vn")
