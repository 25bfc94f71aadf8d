"""The feedback API (docs/api.md, "Feedback and ratings"): the scenario of the issue, and
anonymous submission, attachments, idempotency, rate limits and privacy."""

import re
import uuid

import pytest

from motcua.core.services import issue_api_token
from motcua.feedback import limits
from motcua.feedback.models import Feedback
from tests.dossiers.factories import PDF_BYTES

from . import factories as ff

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def w(db):
    return ff.world()


def bearer(user):
    return {"Authorization": f"Bearer {issue_api_token(user)[0]}"}


def body(w, **extra):
    data = {
        "title": "Đèn đường hỏng",
        "content": "Đèn đường ngõ 5 phố Hùng Vương hỏng đã hai tuần.",
        "category": "place",
        "agency": w.home.code,
    }
    return data | extra


def upload(client, user, data=PNG, name="anh.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/api/v1/files", {"file": SimpleUploadedFile(name, data)}, headers=bearer(user)
    )


def post(client, url, data, user=None, **headers):
    if user is not None:
        headers |= bearer(user)
    return client.post(url, data, content_type="application/json", headers=headers)


def test_the_whole_life_through_the_api(client, w):
    citizen, leader = w.citizen, w.leader
    made = post(client, "/api/v1/feedback", body(w), citizen)
    assert made.status_code == 201, made.json()
    fid = made.json()["id"]
    assert made.json()["status"] == "received" and made.json()["due_at"]
    url = f"/api/v1/feedback/{fid}"

    def act(action, user=leader, **args):
        return post(client, f"{url}/actions", {"action": action, **args}, user)

    assert act("accept").json()["status"] == "processing"
    asked = act("ask_info", note="Xin cho biết số nhà gần nhất.", internal_note="Đội điện lực")
    assert asked.json()["status"] == "awaiting_info"
    supplied = act("supply_info", citizen, note="Trước số nhà 12.")
    assert supplied.json()["status"] == "processing"
    # The clock was paused: the wait is in the history.
    assert "paused_hours" in str(Feedback.objects.get(pk=fid).events.last().payload)
    # An answer about a place needs evidence.
    assert act("answer", answer="Đã thay bóng đèn.").status_code == 422
    photo = upload(client, leader).json()["id"]
    answered = act("answer", answer="Đã thay bóng đèn.", attachments=[photo])
    assert answered.json()["status"] == "answered"
    assert answered.json()["attachments"][0]["purpose"] == "evidence"
    assert act("publish").json()["status"] == "published"
    disliked = post(client, f"{url}/reaction", {"like": False}, citizen)
    assert disliked.json()["reaction"] == "dislike"
    reopened = post(client, f"{url}/reopen", {"note": "Đèn lại hỏng sau hai ngày."}, citizen)
    assert reopened.json()["status"] == "processing"
    photo = upload(client, leader).json()["id"]
    again = act("answer", answer="Đã thay cả bộ đèn.", attachments=[photo])
    assert again.json()["status"] == "answered"
    second = post(client, f"{url}/reopen", {"note": "Vẫn hỏng."}, citizen)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "action_not_allowed"
    events = client.get(url, headers=bearer(citizen)).json()["events"]
    assert [e["action"] for e in events] == [
        "submit", "accept", "ask_info", "supply_info", "answer", "publish", "react", "reopen",
        "answer",
    ]  # fmt: skip


def test_refuse_and_transfer_paths(client, w):
    one = post(client, "/api/v1/feedback", body(w, category="other"), w.citizen).json()["id"]
    refused = post(
        client, f"/api/v1/feedback/{one}/actions",
        {"action": "refuse", "reason": "duplicate"}, w.leader,
    )  # fmt: skip
    assert (refused.json()["status"], refused.json()["refusal_reason"]) == ("refused", "duplicate")
    two = post(client, "/api/v1/feedback", body(w, category="other"), w.citizen).json()["id"]
    moved = post(
        client, f"/api/v1/feedback/{two}/actions",
        {"action": "transfer", "to_agency": w.partner.code}, w.leader,
    )  # fmt: skip
    assert moved.status_code == 200 and moved.json()["status"] == "transferred"
    assert client.get(f"/api/v1/feedback/{two}", headers=bearer(w.leader)).status_code == 404
    got = client.get(f"/api/v1/feedback/{two}", headers=bearer(w.partner_leader)).json()
    assert got["agency"]["code"] == w.partner.code
    assert [d["round"] for d in got["deadlines"]].count(2) == 3


def test_a_disallowed_action_is_409_and_changes_nothing(client, w):
    fid = post(client, "/api/v1/feedback", body(w), w.citizen).json()["id"]
    before = client.get(f"/api/v1/feedback/{fid}", headers=bearer(w.leader)).json()
    for action in ("publish", "answer", "ask_info", "supply_info"):
        user = w.citizen if action == "supply_info" else w.leader
        got = post(client, f"/api/v1/feedback/{fid}/actions", {"action": action}, user)
        assert got.status_code == 409, (action, got.json())
    assert client.get(f"/api/v1/feedback/{fid}", headers=bearer(w.leader)).json() == before


def _code_from(mailoutbox) -> str:
    return re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)


def test_anonymous_feedback_needs_a_confirmed_contact(client, w, mailoutbox):
    refused = post(client, "/api/v1/feedback", body(w))
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "contact_not_confirmed"
    sent = post(client, "/api/v1/feedback/contact-codes", {"contact": "an.nguyen@example.vn"})
    assert sent.status_code == 201 and sent.json()["recipient"] == "a***@example.vn"
    code_id = sent.json()["id"]
    wrong = post(client, "/api/v1/feedback", body(w, contact={"code_id": code_id, "code": "x"}))
    assert wrong.json()["error"]["code"] == "contact_not_confirmed"
    contact = {"code_id": code_id, "code": _code_from(mailoutbox), "name": "Khách"}
    made = post(client, "/api/v1/feedback", body(w, contact=contact))
    assert made.status_code == 201, made.json()
    key, fid = made.json()["access_key"], made.json()["id"]
    assert Feedback.objects.get(pk=fid).contact_email == "an.nguyen@example.vn"
    # The code opens one feedback only.
    assert post(client, "/api/v1/feedback", body(w, contact=contact)).status_code == 422
    # Its page opens with the key only.
    assert client.get(f"/api/v1/feedback/{fid}").status_code == 404
    mine = client.get(f"/api/v1/feedback/{fid}", headers={"X-Feedback-Key": key})
    assert mine.status_code == 200 and mine.json()["submitter"]["full_name"] == "Khách"
    bad = client.get(
        f"/api/v1/feedback/{fid}",
        headers={"X-Feedback-Key": key[:-1] + ("y" if key[-1] == "x" else "x")},
    )
    assert bad.status_code == 404


def test_attachments_that_are_not_what_they_claim_are_415(client, w):
    fake = upload(client, w.citizen, b"GIF89a not a jpeg at all", "anh.jpg")
    assert fake.status_code == 415
    assert fake.json()["error"]["code"] == "unsupported_file_type"
    from tests.dossiers.test_upload_content import office

    docx = office({"word/document.xml": b"<w:document/>"})
    docx = upload(client, w.citizen, docx, "don.docx").json()["id"]
    made = post(client, "/api/v1/feedback", body(w, attachments=[docx]), w.citizen)
    assert made.status_code == 415
    pdf = upload(client, w.citizen, PDF_BYTES, "don.pdf").json()["id"]
    made = post(client, "/api/v1/feedback", body(w, attachments=[pdf]), w.citizen)
    assert made.status_code == 201
    assert Feedback.objects.get(pk=made.json()["id"]).attachments.count() == 1


def test_the_same_idempotency_key_creates_one_feedback(client, w):
    key = str(uuid.uuid4())
    first = post(client, "/api/v1/feedback", body(w), w.citizen, **{"Idempotency-Key": key})
    again = post(client, "/api/v1/feedback", body(w), w.citizen, **{"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert Feedback.objects.count() == 1
    other = post(client, "/api/v1/feedback", body(w, title="Khác hẳn"), w.citizen,
                 **{"Idempotency-Key": key})  # fmt: skip
    assert other.json()["error"]["code"] == "idempotency_key_reused"


def test_rate_limits_answer_429_with_retry_after(client, w, monkeypatch):
    monkeypatch.setattr(limits, "SUBMIT_LIMIT", (2, 3600))
    for _ in range(2):
        assert post(client, "/api/v1/feedback", body(w), w.citizen).status_code == 201
    limited = post(client, "/api/v1/feedback", body(w), w.citizen)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["error"]["code"] == "rate_limited"
    for _ in range(3):
        post(client, "/api/v1/feedback/contact-codes", {"contact": "0912345678"})
    limited = post(client, "/api/v1/feedback/contact-codes", {"contact": "0912 345 678"})
    assert limited.status_code == 429 and limited["Retry-After"]


def test_nobody_reads_another_s_feedback_nor_the_internal_notes(client, w):
    fid = post(client, "/api/v1/feedback", body(w, is_public=False), w.citizen).json()["id"]
    url = f"/api/v1/feedback/{fid}"
    post(client, f"{url}/actions", {"action": "accept", "internal_note": "Nội bộ: gọi điện lực"},
         w.leader)  # fmt: skip
    for stranger in (w.other_citizen, w.outsider, w.partner_leader):
        assert client.get(url, headers=bearer(stranger)).status_code == 404
        assert post(client, f"{url}/reopen", {"note": "x"}, stranger).status_code == 404
    assert client.get(url).status_code == 404
    mine = client.get(url, headers=bearer(w.citizen)).json()
    assert "Nội bộ" not in str(mine)
    officers = client.get(url, headers=bearer(w.leader)).json()
    assert officers["events"][1]["internal_note"] == "Nội bộ: gọi điện lực"
    listed = client.get("/api/v1/feedback", headers=bearer(w.other_citizen)).json()
    assert listed["total"] == 0


def test_the_public_list_shows_published_answers_without_personal_data(client, w):
    fb = ff.bring_to(w, "published")
    ff.bring_to(w, "answered")
    private = ff.submit(w, is_public=False, title="Riêng tư")
    got = client.get("/api/v1/feedback/public", {"q": "duong hung vuong"}).json()
    assert [item["id"] for item in got["items"]] == [fb.pk]
    text = str(got) + client.get(f"/api/v1/feedback/{fb.pk}").content.decode()
    for personal in (w.citizen.full_name, w.citizen.id_number, "0912345678"):
        assert personal not in text
    assert client.get(f"/api/v1/feedback/{private.pk}").status_code == 404
    assert client.get("/api/v1/feedback/public", {"agency": w.partner.code}).json()["total"] == 0
    assert client.get("/api/v1/feedback/public", {"category": "other"}).json()["total"] == 1


def test_the_list_is_the_caller_s_and_filters(client, w, django_assert_max_num_queries):
    for _ in range(3):
        ff.submit(w)
    ff.act(w, ff.submit(w), "accept")
    mine = client.get("/api/v1/feedback", headers=bearer(w.citizen)).json()
    assert mine["total"] == 4
    headers = bearer(w.leader)
    with django_assert_max_num_queries(6):
        got = client.get("/api/v1/feedback", {"status": "processing"}, headers=headers).json()
    assert got["total"] == 1 and got["items"][0]["status"] == "processing"
    assert client.get("/api/v1/feedback", headers=bearer(w.outsider)).json()["total"] == 0


def test_an_undelivered_code_is_503(client, w, monkeypatch):
    from motcua.core.messaging import DeliveryFailed
    from motcua.feedback.services import submission

    def fail(*args, **kwargs):
        raise DeliveryFailed("down")

    monkeypatch.setattr(submission, "send_now", fail)
    got = post(client, "/api/v1/feedback/contact-codes", {"contact": "0912345678"})
    assert got.status_code == 503, got.json()
    assert got.json()["error"]["code"] == "delivery_failed"


def test_dossiers_complained_about(w):
    from motcua.dossiers.models import Dossier
    from motcua.feedback.queries import complained_about
    from tests.portal.tracking_data import received

    dossier = received(w)
    received(w)
    ff.submit(w, dossier_code=dossier.code, agency=None)
    assert list(complained_about(Dossier.objects.all())) == [dossier]


def test_the_anonymous_submitter_acts_with_the_key(client, w):
    from datetime import timedelta

    from django.utils import timezone

    from motcua.core import onetime
    from motcua.feedback import services
    from motcua.feedback.models import ContactCode
    from motcua.feedback.services.submission import CODE_SALT

    now = timezone.now()
    row = ContactCode(id=uuid.uuid4(), channel="sms", recipient="0912345678", created_at=now,
                      expires_at=now + timedelta(minutes=5))  # fmt: skip
    row.code_hash = onetime.code_hash(CODE_SALT, str(row.pk), "123456")
    row.save()
    fb, key = services.submit_feedback(
        None, title="Cây đổ chắn đường", content="Cây xanh đổ chắn ngang đường Trần Phú.",
        category="other", agency=w.home.code, contact={"code_id": str(row.pk), "code": "123456"},
    )  # fmt: skip
    ff.act(w, ff.act(w, fb, "accept"), "answer")
    url = f"/api/v1/feedback/{fb.pk}"
    assert post(client, f"{url}/reaction", {"like": True}).status_code == 404
    liked = post(client, f"{url}/reaction", {"like": True}, **{"X-Feedback-Key": key})
    assert liked.status_code == 200 and liked.json()["reaction"] == "like"
    reopened = post(client, f"{url}/reopen", {"note": "Cây vẫn còn."}, **{"X-Feedback-Key": key})
    assert reopened.json()["status"] == "processing"
