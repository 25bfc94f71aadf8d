"""The feedback pages: the form without JavaScript (signed in, or anonymous with a confirmed
contact), the honeypot and rate limits, the submitter's page and actions, the public list."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.feedback import limits
from motcua.feedback.models import Feedback
from tests.feedback import factories as ff

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def w(db):
    return ff.world()


def form(w, **extra):
    return {
        "title": "Cống thoát nước bị tắc",
        "content": "Cống trước nhà văn hóa tổ 3 bị tắc, nước tràn ra đường mỗi khi mưa.",
        "category": "place",
        "agency": w.home.code,
        "is_public": "on",
    } | extra


def test_a_signed_in_citizen_sends_feedback_with_a_photo(client, w):
    client.force_login(w.citizen)
    assert client.get("/phan-anh/gui/").status_code == 200
    photo = SimpleUploadedFile("cong.png", PNG, content_type="image/png")
    got = client.post("/phan-anh/gui/", form(w, attachments=photo))
    fb = Feedback.objects.get()
    assert got.status_code == 302 and got["Location"] == f"/phan-anh/{fb.pk}/"
    assert (fb.submitter, fb.attachments.count()) == (w.citizen, 1)
    page = client.get(got["Location"]).content.decode()
    assert "Đã tiếp nhận" in page and "cong.png" in page


def test_a_file_that_is_not_a_photo_is_refused_on_the_form(client, w):
    client.force_login(w.citizen)
    fake = SimpleUploadedFile("anh.jpg", b"not an image", content_type="image/jpeg")
    got = client.post("/phan-anh/gui/", form(w, attachments=fake))
    assert got.status_code == 400 and not Feedback.objects.exists()


def test_anonymous_feedback_with_a_confirmed_contact(client, w, mailoutbox):
    refused = client.post("/phan-anh/gui/", form(w, contact="khach@example.vn"))
    assert refused.status_code == 400 and not Feedback.objects.exists()
    sent = client.post("/phan-anh/gui/", form(w, contact="khach@example.vn", send_code="1"))
    assert sent.status_code == 200
    code_id = re.search(r'name="code_id" value="([^"]+)"', sent.content.decode()).group(1)
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    got = client.post("/phan-anh/gui/", form(w, contact="khach@example.vn", code_id=code_id,
                                             code=code))  # fmt: skip
    assert got.status_code == 302 and "?k=" in got["Location"]
    page = client.get(got["Location"])
    assert page.status_code == 200 and "Cống thoát nước" in page.content.decode()
    fb = Feedback.objects.get()
    assert client.get(f"/phan-anh/{fb.pk}/").status_code == 404


def test_the_honeypot_keeps_nothing(client, w):
    client.force_login(w.citizen)
    got = client.post("/phan-anh/gui/", form(w, website="http://spam.example"))
    assert got.status_code == 302 and not Feedback.objects.exists()


def test_too_many_submissions_are_429(client, w, monkeypatch):
    monkeypatch.setattr(limits, "SUBMIT_LIMIT", (1, 3600))
    client.force_login(w.citizen)
    assert client.post("/phan-anh/gui/", form(w)).status_code == 302
    got = client.post("/phan-anh/gui/", form(w))
    assert got.status_code == 429 and got["Retry-After"]


def test_the_submitter_reacts_and_reopens_on_the_page(client, w):
    fb = ff.bring_to(w, "published")
    client.force_login(w.citizen)
    page = client.get(f"/phan-anh/{fb.pk}/").content.decode()
    assert "Hài lòng" in page and "Mở lại phản ánh" in page
    client.post(f"/phan-anh/{fb.pk}/thao-tac/react/", {"like": "0"})
    client.post(f"/phan-anh/{fb.pk}/thao-tac/reopen/", {"note": "Vẫn chưa sửa."})
    fb.refresh_from_db()
    assert (fb.reaction, fb.status, fb.reopen_count) == ("dislike", "processing", 1)


def test_another_s_private_feedback_is_404(client, w):
    fb = ff.submit(w, is_public=False)
    client.force_login(w.other_citizen)
    assert client.get(f"/phan-anh/{fb.pk}/").status_code == 404
    assert client.post(f"/phan-anh/{fb.pk}/thao-tac/reopen/", {"note": "x"}).status_code == 404


def test_the_public_list_searches_and_shows_no_personal_data(client, w):
    fb = ff.bring_to(w, "published")
    ff.bring_to(w, "answered")
    page = client.get("/phan-anh/", {"q": "duong hung vuong"}).content.decode()
    assert f"/phan-anh/{fb.pk}/" in page
    assert "1 trả lời đã công khai" in page
    assert "0 trả lời" in client.get("/phan-anh/", {"category": "service"}).content.decode()
    public = client.get(f"/phan-anh/{fb.pk}/").content.decode()
    for text in (page, public):
        assert w.citizen.full_name not in text and w.citizen.id_number not in text
