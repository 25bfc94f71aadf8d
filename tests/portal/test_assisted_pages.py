"""Assisted submission pages ("Nộp hộ"): a community digital team member submits for a
citizen who consents (a code read out, in person, or a signed form's scan); the dossier is
the citizen's, the help is recorded, and nobody else sees the helper's pages or drafts."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.dossiers import drafts
from motcua.dossiers.models import ConsentCode, DigitalTeamMember, Dossier, Status
from motcua.integrations.models import LocalResident, Notification, RegistryLookup
from tests.dossiers import factories
from tests.dossiers.factories import PDF_BYTES
from tests.dossiers.test_assisted import ELDER_ID, capture_sms, helped_world

from . import submission_data as data
from .catalog_data import COMMUNE

pytestmark = pytest.mark.django_db

HOME = "/nop-ho/"


@pytest.fixture
def w(db):
    return helped_world()


@pytest.fixture
def sms(monkeypatch):
    return capture_sms(monkeypatch)


@pytest.fixture
def member(client, w):
    client.force_login(w.member)
    return client


def start_url(w) -> str:
    return f"/nop-ho/{w.procedure.code}/"


def consent_url(w) -> str:
    return f"/nop-ho/{w.procedure.code}/dong-y/"


def choose(client, w, citizen, method):
    response = client.post(
        start_url(w), {"citizen": citizen, "agency": w.home.code, "method": method}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == consent_url(w)
    return response


def begin_in_person(client, w, citizen=None, **extra) -> Dossier:
    choose(client, w, citizen or w.citizen.id_number, "in_person")
    body = {"present": "on", "note": "Con trai chứng kiến.", "key": "k-1"} | extra
    response = client.post(consent_url(w), body)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Dossier.objects.filter(status=Status.DRAFT).latest("id")
    assert response["Location"] == f"/nop-ho-so/{draft.pk}/"
    return draft


def finish(client, w, draft) -> Dossier:
    """Answer the form, attach the components and submit, as the helper."""
    response = client.post(
        f"/nop-ho-so/{draft.pk}/trang/0/",
        {"tk__child_name": "Nguyễn Văn Con", "action": "continue"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    for spec in w.specs:
        upload = SimpleUploadedFile("giay-to.pdf", PDF_BYTES, content_type="application/pdf")
        client.post(f"/nop-ho-so/{draft.pk}/giay-to/", {"spec": spec.pk, "file": upload})
    response = client.post(f"/nop-ho-so/{draft.pk}/kiem-tra/")
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert response["Location"] == f"/nop-ho/ho-so/{draft.code}/da-nop/"
    return draft


# --------------------------------------------------------------------------- who may assist


def test_the_entry_points_show_only_to_those_who_may_assist(client, w):
    client.force_login(w.member)
    assert "Nộp hộ công dân" in client.get("/").content.decode()
    page = client.get(f"/thu-tuc/{w.procedure.code}/nop-ho-so/").content.decode()
    assert f'href="{start_url(w)}"' in page
    client.force_login(w.citizen)
    assert "Nộp hộ công dân" not in client.get("/").content.decode()
    page = client.get(f"/thu-tuc/{w.procedure.code}/nop-ho-so/").content.decode()
    assert start_url(w) not in page


def test_a_reception_officer_on_a_home_visit_may_assist(client, w):
    client.force_login(w.reception)
    assert client.get(HOME).status_code == 200
    assert client.get(start_url(w)).status_code == 200


@pytest.mark.parametrize("who", ["citizen", "specialist"])
def test_someone_who_may_not_assist_gets_403_on_every_page(client, w, who):
    d = factories.submit(w, factories.local(2026, 11, 23, 9))
    client.force_login(getattr(w, who))
    for url in [
        HOME,
        start_url(w),
        consent_url(w),
        f"/nop-ho/ho-so/{d.code}/",
        f"/nop-ho/ho-so/{d.code}/da-nop/",
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Tổ công nghệ số cộng đồng" in response.content.decode()
    response = client.post(
        start_url(w), {"citizen": ELDER_ID, "agency": w.home.code, "method": "in_person"}
    )
    assert response.status_code == 403
    assert client.post(f"/nop-ho/ho-so/{d.code}/bo-sung/").status_code == 403


def test_a_member_no_longer_active_is_refused_with_their_drafts(member, w):
    draft = begin_in_person(member, w)
    DigitalTeamMember.objects.filter(user=w.member).update(active=False)
    assert member.get(HOME).status_code == 403
    assert member.get(f"/nop-ho-so/{draft.pk}/").status_code == 404
    assert member.post(f"/nop-ho-so/{draft.pk}/kiem-tra/").status_code == 404


def test_a_visitor_is_asked_to_sign_in(client, w):
    response = client.get(start_url(w))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


# ------------------------------------------------------------------------ for whom, consent


def test_the_citizen_must_be_named_by_a_valid_id_number(member, w):
    response = member.post(start_url(w), {"citizen": "12345", "agency": w.home.code})
    assert response.status_code == 422
    page = response.content.decode()
    assert "gồm đúng 12 chữ số" in page
    assert "Chọn cách công dân đồng ý cho bạn nộp hộ." in page
    assert 'class="error-summary"' in page
    assert 'value="12345"' in page  # the answer is kept
    response = member.post(
        start_url(w), {"citizen": w.member.id_number, "agency": w.home.code, "method": "otp"}
    )
    assert "Đây là số định danh của chính bạn" in response.content.decode()


def test_the_consent_page_needs_the_start_page_first(member, w):
    response = member.get(consent_url(w))
    assert response.status_code == 302 and response["Location"] == start_url(w)


def test_in_person_consent_must_be_confirmed(member, w):
    choose(member, w, w.citizen.id_number, "in_person")
    response = member.post(consent_url(w), {"key": "k"})
    assert response.status_code == 422
    assert "Cần xác nhận công dân có mặt và đồng ý." in response.content.decode()
    assert not Dossier.objects.exists()


def test_in_person_consent_is_recorded_and_the_draft_is_the_helpers_to_write(member, client, w):
    draft = begin_in_person(member, w)
    assert draft.applicant_user == w.citizen and draft.helper_user == w.member
    helper = draft.helper
    assert helper["consent_method"] == "in_person"
    assert helper["consent_note"] == "Con trai chứng kiến." and helper["consent_at"]
    assert helper["full_name"] == "Lý Văn Hải" and helper["role"] == "community_digital_team"
    # Each page of the draft says for whom it is written.
    page = member.get(f"/nop-ho-so/{draft.pk}/").content.decode()
    assert "Bạn đang nộp hộ công dân" in page and "Nguyễn Văn An" in page
    # The helper's drafts are listed on their page, not on the citizen's.
    assert f"/nop-ho-so/{draft.pk}/" in member.get(HOME).content.decode()
    client.force_login(w.citizen)
    assert client.get(f"/nop-ho-so/{draft.pk}/").status_code == 404
    assert f"/nop-ho-so/{draft.pk}/" not in client.get("/nop-ho-so/").content.decode()


def test_a_repeated_consent_post_starts_one_draft(member, w):
    begin_in_person(member, w)
    response = member.post(consent_url(w), {"present": "on", "key": "k-1"})
    assert response.status_code == 302
    assert Dossier.objects.count() == 1


def test_paper_consent_keeps_the_scan_with_the_dossier(member, w):
    choose(member, w, w.citizen.id_number, "paper")
    response = member.post(consent_url(w), {"key": "k"})
    assert response.status_code == 422
    assert "Tải lên bản quét phiếu đồng ý có chữ ký." in response.content.decode()
    scan = SimpleUploadedFile("phieu.txt", b"not a scan", content_type="text/plain")
    response = member.post(consent_url(w), {"key": "k", "scan": scan})
    assert response.status_code == 422  # the type is checked
    scan = SimpleUploadedFile("phieu-dong-y.pdf", PDF_BYTES, content_type="application/pdf")
    response = member.post(consent_url(w), {"key": "k", "scan": scan})
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Dossier.objects.get()
    assert draft.helper["consent_method"] == "paper"
    component = draft.components.get()
    assert component.spec is None and component.file.name == "phieu-dong-y.pdf"


def code_of(sms) -> str:
    return re.search(r"\b(\d{6})\b", sms[-1][1]).group(1)


def test_one_time_code_consent(member, w, sms):
    choose(member, w, w.citizen.id_number, "otp")
    page = member.get(consent_url(w)).content.decode()
    assert "Gửi mã xác nhận" in page and 'name="code"' not in page  # send first
    response = member.post(consent_url(w), {"action": "send", "phone": ""}, follow=True)
    page = response.content.decode()
    assert "Đã gửi mã xác nhận tới số *******678" in page  # the account's phone
    code = code_of(sms)
    wrong = "000000" if code != "000000" else "111111"
    response = member.post(consent_url(w), {"key": "k", "code": wrong})
    assert response.status_code == 422
    assert "Mã xác nhận không đúng." in response.content.decode()
    assert ConsentCode.objects.get().attempts == 1
    response = member.post(consent_url(w), {"key": "k", "code": code})
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Dossier.objects.get()
    assert draft.helper["consent_method"] == "otp"
    assert ConsentCode.objects.get().used_at is not None


def test_an_expired_code_is_refused(member, w, sms):
    choose(member, w, w.citizen.id_number, "otp")
    member.post(consent_url(w), {"action": "send"})
    ConsentCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = member.post(consent_url(w), {"key": "k", "code": code_of(sms)})
    assert response.status_code == 422
    assert "Mã xác nhận đã hết hạn. Hãy gửi mã mới." in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_citizen_without_an_account_gets_the_code_on_the_phone_given(member, w, sms):
    choose(member, w, ELDER_ID, "otp")
    response = member.post(consent_url(w), {"action": "send", "phone": ""})
    assert response.status_code == 422
    assert "Cần số điện thoại của công dân để gửi mã xác nhận." in response.content.decode()
    response = member.post(consent_url(w), {"action": "send", "phone": "0987 654 321"})
    assert response.status_code == 302
    assert ConsentCode.objects.get().phone == "0987654321"


def test_codes_sent_are_limited(member, w, sms):
    choose(member, w, w.citizen.id_number, "otp")
    for _ in range(3):
        assert member.post(consent_url(w), {"action": "send"}).status_code == 302
    response = member.post(consent_url(w), {"action": "send"})
    assert response.status_code == 422
    assert len(sms) == 3


def test_a_citizen_unknown_to_the_registry_is_named_by_the_helper(member, w):
    unknown = "010190099999"
    choose(member, w, unknown, "in_person")
    response = member.post(consent_url(w), {"present": "on", "key": "k"})
    assert response.status_code == 422
    assert "Họ và tên công dân" in response.content.decode()
    response = member.post(consent_url(w), {"present": "on", "key": "k", "full_name": "Thào Dợ"})
    assert response.status_code == 302
    assert Dossier.objects.get().applicant["full_name"] == "Thào Dợ"


# ----------------------------------------------------------------- the dossier is the citizen's


def test_the_submitted_dossier_is_the_citizens_and_records_the_help(member, client, w):
    draft = begin_in_person(member, w)
    check = member.get(f"/nop-ho-so/{draft.pk}/kiem-tra/").content.decode()
    assert "Người nộp hộ" in check and "Lý Văn Hải" in check and "Nguyễn Văn An (dân cư)" in check
    assert "Công dân có mặt và đồng ý trực tiếp" in check
    d = finish(member, w, draft)
    assert d.status == Status.SUBMITTED and d.applicant_user == w.citizen
    assert d.helper_user == w.member
    event = d.events.get(action="submit")
    assert (event.actor, event.actor_role) == (w.member, "helper")
    confirmation = member.get(f"/nop-ho/ho-so/{d.code}/da-nop/").content.decode()
    assert d.code in confirmation and "Công dân đã được thông báo" in confirmation
    # The helper's list and the dossier's page.
    listed = member.get(HOME).content.decode()
    assert d.code in listed and f"/nop-ho/ho-so/{d.code}/" in listed
    page = member.get(f"/nop-ho/ho-so/{d.code}/").content.decode()
    assert "Quá trình giải quyết" in page and "Lý Văn Hải" in page
    assert "rút" not in re.sub(r"<[^>]+>", "", page).split("Chỉ công dân mới rút")[0]
    # The citizen is told, and sees it in "my dossiers".
    notice = Notification.objects.get(user=w.citizen, dossier=d)
    assert "Người nộp hộ: Lý Văn Hải" in notice.body
    client.force_login(w.citizen)
    assert d.code in client.get("/ho-so-cua-toi/").content.decode()
    assert (
        "với sự hỗ trợ của Lý Văn Hải" in client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    )


def test_the_helper_answers_a_supplement_but_cannot_withdraw(member, w):
    d = finish(member, w, begin_in_person(member, w))
    from motcua.dossiers.services import allowed_actions, perform

    assert "withdraw" not in allowed_actions(d, w.member)
    perform(d.pk, "receive", w.reception)
    perform(d.pk, "request_supplement", w.reception, missing=[w.specs[0].pk])
    page = member.get(f"/nop-ho/ho-so/{d.code}/").content.decode()
    assert "Gửi giấy tờ bổ sung" in page
    upload = SimpleUploadedFile("bo-sung.pdf", PDF_BYTES, content_type="application/pdf")
    response = member.post(f"/nop-ho/ho-so/{d.code}/bo-sung/", {"file_0": upload})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.PROCESSING


def test_the_helper_sees_the_new_appointment_after_an_apology(member, w):
    from motcua.dossiers.services import perform

    d = finish(member, w, begin_in_person(member, w))
    perform(d.pk, "receive", w.reception)
    d.refresh_from_db()
    later = d.due_at + timedelta(days=7)
    perform(d.pk, "apologize", w.specialist, reason="Cần xác minh thêm", new_due_at=later)
    page = member.get(f"/nop-ho/ho-so/{d.code}/").content.decode()
    assert "Ngày hẹn trả mới (sau thư xin lỗi)" in page


def test_a_helper_never_sees_another_helpers_drafts_or_dossiers(member, client, w):
    d = finish(member, w, begin_in_person(member, w))
    draft = begin_in_person(member, w, key="k-2")
    other = factories.user("Thành Viên Khác")
    DigitalTeamMember.objects.create(user=other, agency=w.home)
    client.force_login(other)
    for url in [
        f"/nop-ho/ho-so/{d.code}/",
        f"/nop-ho/ho-so/{d.code}/da-nop/",
        f"/nop-ho-so/{draft.pk}/",
        f"/nop-ho-so/{draft.pk}/kiem-tra/",
    ]:
        assert client.get(url).status_code == 404, url
    page = client.get(HOME).content.decode()
    assert d.code not in page and "Bạn chưa nộp hộ hồ sơ nào." in page


def test_the_helpers_list_pages(member, w):
    assert "Bạn chưa nộp hộ hồ sơ nào." in member.get(HOME).content.decode()
    d = finish(member, w, begin_in_person(member, w))
    # 25 more, as if helped over the weeks.
    base = d.code
    for n in range(25):
        d.pk, d.code, d.id = None, f"{base[:-4]}{n + 2:04d}", None
        d.save(force_insert=True)
    first = member.get(HOME).content.decode()
    assert "26 hồ sơ" in first and 'rel="next"' in first
    second = member.get(HOME + "?page=2").content.decode()
    assert second.count('class="card"') == 6


def test_prefill_is_the_citizens_not_the_helpers(client, db):
    data.build(birth_only=True)
    citizen = data.citizen()
    helper = factories.user("Lý Văn Hải")
    DigitalTeamMember.objects.create(user=helper, agency=Agency.objects.get(code=COMMUNE))
    for person, name in ((citizen.id_number, "Nguyễn Thị Hoa"), (helper.id_number, "Lý Văn Hải")):
        LocalResident.objects.create(
            id_number=person, full_name=name, date_of_birth=date(1990, 1, 1), sex="Nữ"
        )
    client.force_login(helper)
    response = client.post(
        f"/nop-ho/{data.BIRTH}/",
        {"citizen": citizen.id_number, "agency": COMMUNE, "method": "in_person"},
    )
    assert response.status_code == 302
    client.post(f"/nop-ho/{data.BIRTH}/dong-y/", {"present": "on", "key": "k"})
    draft = drafts.assisted_drafts_of(helper).get()
    assert draft.form["requester"]["full_name"] == "Nguyễn Thị Hoa"
    assert "requester.full_name" in draft.registry_fields
    page = client.get(f"/nop-ho-so/{draft.pk}/trang/0/").content.decode()
    assert 'value="Nguyễn Thị Hoa"' in page and "Lý Văn Hải" not in page.split("<main")[1]
    # One read of the citizen's registry entry for the start, so one line in their access log.
    reads = RegistryLookup.objects.filter(id_number=citizen.id_number)
    assert reads.count() == 1 and reads.get().user == helper


def test_english_pages(member, w):
    english = {"Accept-Language": "en"}
    assert "Dossiers submitted for citizens" in member.get(HOME, headers=english).content.decode()
    page = member.get(start_url(w), headers=english).content.decode()
    assert "Submit for a citizen" in page and "How did the citizen consent" in page
