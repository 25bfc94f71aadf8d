"""The back office's feedback inbox (the dossier inbox's tabs) and feedback page (actions
per role, deadlines and verdicts, the dossier link, internal notes)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.feedback.models import Feedback
from motcua.feedback.services import mark_deadlines
from tests.feedback import factories as ff

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def fw(db):
    return ff.world()


def test_the_inbox_tabs(as_user, fw):
    at = ff.local(2026, 3, 2, 9)
    ff.submit(fw, at)
    ff.bring_to(fw, "processing", at)
    ff.bring_to(fw, "awaiting_info", at)
    mark_deadlines(ff.local(2026, 3, 5, 9))  # the decision of the first is overdue
    client = as_user(fw.leader)
    page = client.get("/mot-cua/phan-anh/").content.decode()
    assert 'Chờ tiếp nhận <span class="bo-count">1</span>' in page
    assert 'Quá hạn <span class="bo-count">1</span>' in page
    for tab in ("processing", "awaiting_info", "due_soon", "overdue"):
        assert client.get("/mot-cua/phan-anh/", {"tab": tab}).status_code == 200
    assert "0 phản ánh" in as_user(fw.outsider).get("/mot-cua/phan-anh/").content.decode()


def test_the_page_offers_the_role_s_actions_and_answers_with_a_photo(as_user, fw):
    fb = ff.submit(fw, category="place")
    reception = as_user(fw.reception).get(f"/mot-cua/phan-anh/{fb.pk}/").content.decode()
    assert "Tiếp nhận xử lý" in reception and "Trả lời" not in reception.split("Thao tác")[1]
    client = as_user(fw.leader)
    client.post(f"/mot-cua/phan-anh/{fb.pk}/thao-tac/accept/", {"internal_note": "Giao tổ 3"})
    photo = SimpleUploadedFile("da-sua.png", PNG, content_type="image/png")
    got = client.post(
        f"/mot-cua/phan-anh/{fb.pk}/thao-tac/answer/",
        {"answer": "Đã nạo vét cống.", "attachments": photo},
    )
    assert got.status_code == 302
    fb = Feedback.objects.get(pk=fb.pk)
    assert fb.status == "answered" and fb.attachments.get().purpose == "evidence"
    page = client.get(f"/mot-cua/phan-anh/{fb.pk}/").content.decode()
    assert "Giao tổ 3" in page and "Đúng hạn" in page and "Công khai kết quả trả lời" in page
    assert client.post(f"/mot-cua/phan-anh/{fb.pk}/thao-tac/publish/").status_code == 302
    assert Feedback.objects.get(pk=fb.pk).status == "published"


def test_an_answer_without_evidence_is_refused_with_a_message(as_user, fw):
    fb = ff.act(fw, ff.submit(fw, category="service"), "accept")
    client = as_user(fw.leader)
    got = client.post(f"/mot-cua/phan-anh/{fb.pk}/thao-tac/answer/", {"answer": "Xong."},
                      follow=True)  # fmt: skip
    assert "minh chứng" in got.content.decode()
    assert Feedback.objects.get(pk=fb.pk).status == "processing"


def test_another_agency_s_feedback_is_404(as_user, fw):
    fb = ff.submit(fw)
    client = as_user(fw.partner_leader)
    assert client.get(f"/mot-cua/phan-anh/{fb.pk}/").status_code == 404
    assert client.post(f"/mot-cua/phan-anh/{fb.pk}/thao-tac/accept/").status_code == 404


def test_the_dossier_it_concerns_is_linked(as_user, fw):
    from tests.portal.tracking_data import received

    dossier = received(fw)
    fb = ff.submit(fw, dossier_code=dossier.code, agency=None)
    assert fb.agency == dossier.agency
    page = as_user(fw.leader).get(f"/mot-cua/phan-anh/{fb.pk}/").content.decode()
    assert f"/mot-cua/ho-so/{dossier.code}/" in page
