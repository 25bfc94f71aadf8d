"""Online submission pages: start, task list, e-form pages, attachments, check, submit."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status, StoredFile
from motcua.integrations.models import LocalResident
from tests.dossiers.factories import PDF_BYTES

from . import submission_data as data
from .catalog_data import COMMUNE

pytestmark = pytest.mark.django_db

START = f"/thu-tuc/{data.BIRTH}/nop-ho-so/"


@pytest.fixture
def world(db):
    data.build()


@pytest.fixture
def citizen(world):
    return data.citizen()


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def start(client, code=data.BIRTH, key="k1") -> Dossier:
    response = client.post(
        f"/thu-tuc/{code}/nop-ho-so/", {"agency": COMMUNE, "applicant": "self", "key": key}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Dossier.objects.filter(status=Status.DRAFT).latest("id")
    assert response["Location"] == f"/nop-ho-so/{draft.pk}/"
    return draft


def page_url(draft, number) -> str:
    return f"/nop-ho-so/{draft.pk}/trang/{number}/"


REQUESTER = {
    "tk__requester__full_name": "Nguyễn Thị Hoa",
    "tk__requester__date_of_birth": "1995-04-02",
    "tk__requester__id_number": data.CITIZEN_ID,
    "tk__requester__permanent_address": "Phúc Yên, Phú Thọ",
    "tk__requester__phone": "0912 345 678",
}
RELATIONSHIP = {"tk__relationship": "Mẹ", "tk__authorised": "khong"}
CHILD = {
    "tk__child__full_name": "Nguyễn Minh An",
    "tk__child__date_of_birth": "2026-10-01",
    "tk__child__sex": "Nam",
    "tk__child__place_of_birth": "Bệnh viện Đa khoa tỉnh Phú Thọ",
    "tk__registration_place__province": data.PROVINCE,
    "tk__registration_place__commune": data.COMMUNES[0],
}
PARENTS = [{"tk__mother__full_name": "Nguyễn Thị Hoa"}, {}]


def fill_all(client, draft):
    """Every page of the birth registration, saved and continued."""
    for number, answers in enumerate([REQUESTER, RELATIONSHIP, CHILD, *PARENTS, {}, {}]):
        response = client.post(page_url(draft, number), {**answers, "action": "continue"})
        assert response.status_code == 302, _errors(response)


def _errors(response) -> str:
    return " | ".join(
        re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode())
    )


def attach(client, draft, spec, content=PDF_BYTES, name="giay-chung-sinh.pdf"):
    return client.post(
        f"/nop-ho-so/{draft.pk}/giay-to/",
        {"spec": spec.pk, "file": SimpleUploadedFile(name, content)},
    )


def required_specs(draft):
    return [s for s in draft.procedure.components.all() if s.required]


# ----------------------------------------------------------------------------- start


def test_the_start_page_asks_to_sign_in_then_where_to_submit(client, citizen):
    response = client.get(START)
    assert "Đăng nhập để nộp hồ sơ trực tuyến" in response.content.decode()
    login = resolve_url(settings.LOGIN_URL)
    assert client.post(START, {"agency": COMMUNE})["Location"].startswith(login)
    client.force_login(citizen)
    page = client.get(START).content.decode()
    assert "Bắt đầu khai hồ sơ trực tuyến" in page and 'value="self"' in page


def test_starting_twice_with_the_same_token_makes_one_draft(signed_in):
    first = start(signed_in)
    assert start(signed_in) == first
    assert Dossier.objects.count() == 1
    assert "Bạn có hồ sơ đang khai dở" in signed_in.get(START).content.decode()


def test_a_procedure_not_online_cannot_be_started(signed_in):
    response = signed_in.get("/thu-tuc/2.000815/nop-ho-so/")
    assert "chưa tiếp nhận hồ sơ trực tuyến" in response.content.decode()
    assert "Bắt đầu khai" not in response.content.decode()


def test_nobody_but_the_owner_sees_a_draft(signed_in, client, citizen):
    draft = start(signed_in)
    other = data.citizen("026090000456", "Trần Văn Khác")
    client.force_login(other)
    for path in ("", "trang/0/", "giay-to/", "kiem-tra/"):
        assert client.get(f"/nop-ho-so/{draft.pk}/{path}").status_code == 404
    assert client.post(f"/nop-ho-so/{draft.pk}/xoa/").status_code == 404
    client.logout()
    assert client.get(f"/nop-ho-so/{draft.pk}/").status_code == 302  # to sign in


# ------------------------------------------------------------------------------ pages


def test_the_task_list_shows_each_page_and_what_is_done(signed_in):
    draft = start(signed_in)
    tasks = signed_in.get(f"/nop-ho-so/{draft.pk}/").content.decode()
    assert tasks.count("Chưa xong") == 8  # 7 pages and the attachments
    signed_in.post(page_url(draft, 0), {**REQUESTER, "action": "continue"})
    assert signed_in.get(f"/nop-ho-so/{draft.pk}/").content.decode().count("Đã xong") == 1


def test_an_error_shows_by_the_field_and_in_the_summary_and_keeps_every_answer(signed_in):
    draft = start(signed_in)
    answers = {**REQUESTER, "tk__requester__date_of_birth": "", "tk__requester__id_number": "1"}
    response = signed_in.post(page_url(draft, 0), {**answers, "action": "continue"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_tk__requester__date_of_birth"' in html
    assert "Ngày, tháng, năm sinh: Bắt buộc nhập." in html
    assert "Số định danh cá nhân gồm đúng 12 chữ số" in html
    assert 'value="Nguyễn Thị Hoa"' in html and 'value="1"' in html  # as typed
    draft.refresh_from_db()
    assert draft.form["requester"]["full_name"] == "Nguyễn Thị Hoa"  # saved all the same
    assert draft.draft.done == []


def test_schema_messages_are_translated_on_english_pages(signed_in):
    draft = start(signed_in)
    answers = {**REQUESTER, "tk__requester__permanent_address": "", "action": "continue"}
    html = signed_in.post(page_url(draft, 0), answers, HTTP_ACCEPT_LANGUAGE="en").content
    assert "Bắt buộc nhập." not in html.decode()
    assert "This answer is required." in html.decode()


def test_a_good_page_is_saved_and_leads_to_the_next(signed_in):
    draft = start(signed_in)
    response = signed_in.post(page_url(draft, 0), {**REQUESTER, "action": "continue"})
    assert response["Location"] == page_url(draft, 1)
    draft.refresh_from_db()
    assert draft.form["requester"]["phone"] == "0912345678"
    assert draft.draft.done == ["0"]
    # Leaving saves too, and the draft is there on another device (another session).
    signed_in.post(page_url(draft, 1), {"tk__relationship": "Mẹ", "action": "leave"})
    draft.refresh_from_db()
    assert draft.form["relationship"] == "Mẹ"


def test_a_conditional_question_is_required_only_when_asked(signed_in):
    draft = start(signed_in)
    html = signed_in.get(page_url(draft, 1)).content.decode()
    assert "Chỉ trả lời nếu" in html and 'data-show-if="tk__authorised"' in html
    answers = {"tk__relationship": "Bà", "tk__authorised": "co", "action": "continue"}
    response = signed_in.post(page_url(draft, 1), answers)
    assert "Số, ngày của văn bản ủy quyền: Bắt buộc nhập." in response.content.decode()
    answers = {**answers, "tk__authorised": "khong", "tk__authorisation": "Số 12"}
    assert signed_in.post(page_url(draft, 1), answers).status_code == 302
    draft.refresh_from_db()
    assert "authorisation" not in draft.form  # not asked: not kept


def test_the_address_offers_the_communes_of_the_province_chosen(signed_in):
    draft = start(signed_in)
    html = signed_in.get(page_url(draft, 2)).content.decode()
    assert f">{data.PROVINCE}<" in html and data.COMMUNES[0] not in html
    # Without a script: choose the province, ask for its communes.
    answers = {**CHILD, "tk__registration_place__commune": "", "action": "refresh"}
    html = signed_in.post(page_url(draft, 2), answers).content.decode()
    assert data.COMMUNES[0] in html and "error-summary" not in html
    # With htmx: the commune list alone.
    fragment = signed_in.get(
        "/nop-ho-so/xa-phuong/",
        {
            "field": "tk__registration_place__commune",
            "tk__registration_place__province": data.PROVINCE,
        },
    ).content.decode()
    assert fragment.startswith("<select") and data.COMMUNES[1] in fragment
    wrong = {**CHILD, "tk__registration_place__commune": "Phường Khác", "action": "continue"}
    assert signed_in.post(page_url(draft, 2), wrong).status_code == 200


def test_a_repeating_group_adds_and_removes_items_without_script(signed_in):
    draft = start(signed_in, code=data.ALLOWANCE)
    number = next(
        n
        for n in range(10)
        if "Thành viên hộ gia đình" in signed_in.get(page_url(draft, n)).content.decode()
    )
    first = {"members": "", "household_members__items": "1"}
    first = {
        "household_members__items": "1",
        "tk__household_members__0__full_name": "Lê Văn Ba",
        "tk__household_members__0__relationship": "Con",
    }
    html = signed_in.post(
        page_url(draft, number), {**first, "action": "add:household_members"}
    ).content.decode()
    assert "tk__household_members__1__full_name" in html
    second = {
        **first,
        "household_members__items": "2",
        "tk__household_members__1__full_name": "Lê Thị Tư",
        "tk__household_members__1__relationship": "Con",
    }
    signed_in.post(page_url(draft, number), {**second, "action": "remove:household_members.0"})
    draft.refresh_from_db()
    assert draft.form["household_members"] == [{"full_name": "Lê Thị Tư", "relationship": "Con"}]
    missing = {**first, "tk__household_members__0__relationship": "", "action": "continue"}
    html = signed_in.post(page_url(draft, number), missing).content.decode()
    assert "Quan hệ với đối tượng: Bắt buộc nhập." in html


# ------------------------------------------------------------------------ attachments


def test_attachments_show_limits_and_keep_every_file_through_an_error(signed_in):
    draft = start(signed_in)
    html = signed_in.get(f"/nop-ho-so/{draft.pk}/giay-to/").content.decode()
    assert "tối đa 20 MB" in html and 'capture="environment"' in html and "accept=" in html
    spec = required_specs(draft)[0]
    assert attach(signed_in, draft, spec).status_code == 302
    refused = attach(signed_in, draft, spec, b"MZ not a document", "virus.exe")
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Chỉ nhận tệp PDF, JPEG, PNG, DOCX hoặc XLSX." in html
    assert "giay-chung-sinh.pdf" in html  # the file already uploaded is still there
    assert draft.components.count() == 1
    component = draft.components.get()
    signed_in.post(f"/nop-ho-so/{draft.pk}/giay-to/", {"remove": component.pk})
    assert not draft.components.exists() and not StoredFile.objects.exists()


# ------------------------------------------------------------------------- check, submit


def test_check_answers_then_submit_once(signed_in):
    draft = start(signed_in)
    refused = signed_in.post(f"/nop-ho-so/{draft.pk}/kiem-tra/")
    assert refused.status_code == 422
    html = refused.content.decode()
    assert f"/nop-ho-so/{draft.pk}/trang/0/?tu=kiem-tra#id_tk__requester__full_name" in html
    assert "Thiếu thành phần hồ sơ bắt buộc" in html
    fill_all(signed_in, draft)
    for spec in required_specs(draft):
        attach(signed_in, draft, spec)
    check = signed_in.get(f"/nop-ho-so/{draft.pk}/kiem-tra/").content.decode()
    assert "Nguyễn Minh An" in check and "Thay đổi" in check and data.COMMUNES[0] in check
    change = signed_in.post(
        page_url(draft, 0) + "?tu=kiem-tra", {**REQUESTER, "action": "continue"}
    )
    assert change["Location"] == f"/nop-ho-so/{draft.pk}/kiem-tra/"
    response = signed_in.post(f"/nop-ho-so/{draft.pk}/kiem-tra/")
    dossier = Dossier.objects.get(pk=draft.pk)
    assert dossier.status == Status.SUBMITTED and dossier.code
    assert response["Location"] == f"/ho-so-cua-toi/{dossier.code}/da-nop/"
    # The back button and a retry lead to the same dossier.
    again = signed_in.post(f"/nop-ho-so/{draft.pk}/kiem-tra/")
    assert again["Location"] == response["Location"]
    assert signed_in.get(page_url(draft, 0))["Location"] == response["Location"]
    assert Dossier.objects.count() == 1


def test_drafts_are_listed_and_can_be_discarded(signed_in):
    draft = start(signed_in)
    html = signed_in.get("/nop-ho-so/").content.decode()
    assert f'href="/nop-ho-so/{draft.pk}/"' in html and "giữ đến hết ngày" in html
    assert signed_in.post(f"/nop-ho-so/{draft.pk}/xoa/")["Location"] == "/nop-ho-so/"
    assert "Bạn không có hồ sơ nào đang khai." in signed_in.get("/nop-ho-so/").content.decode()


def test_prefilled_answers_are_shown_as_such(signed_in, citizen):
    LocalResident.objects.create(
        id_number=citizen.id_number, full_name="Nguyễn Thị Hoa", sex="Nữ", ethnicity="Kinh"
    )
    draft = start(signed_in)
    html = signed_in.get(page_url(draft, 0)).content.decode()
    # name, sex, ethnicity, nationality, ID number
    assert html.count("Lấy từ Cơ sở dữ liệu quốc gia về dân cư") == 5
    assert 'value="Nguyễn Thị Hoa"' in html
    # Changed, it is no longer said to come from the registry.
    signed_in.post(
        page_url(draft, 0),
        {
            **REQUESTER,
            "tk__requester__full_name": "Khác",
            "tk__requester__sex": "Nữ",
            "tk__requester__ethnicity": "Kinh",
            "tk__requester__nationality": "Việt Nam",
            "action": "leave",
        },
    )
    html = signed_in.get(page_url(draft, 0)).content.decode()
    assert html.count("Lấy từ Cơ sở dữ liệu quốc gia về dân cư") == 4


def test_a_representative_may_apply_for_an_organisation(citizen):
    from motcua.accounts.models import Organisation, Representation
    from motcua.portal.submission.forms import StartForm

    company = Organisation.objects.create(tax_code="0100109106", name="Công ty Sông Hồng")
    Representation.objects.create(
        user=citizen, organisation=company, title="Giám đốc", declared_at=timezone.now()
    )
    agencies = list(Dossier._meta.get_field("agency").related_model.objects.all()[:1])
    form = StartForm(
        {"agency": agencies[0].code, "applicant": "0100109106"},
        agencies=agencies,
        organisations=[company],
        kinds=["citizen", "organisation"],
    )
    assert [c[0] for c in form.fields["applicant"].choices] == ["self", "0100109106"]
    assert form.is_valid() and form.organisation() == company
    only_citizens = StartForm(agencies=agencies, organisations=[company], kinds=["citizen"])
    assert [c[0] for c in only_citizens.fields["applicant"].choices] == ["self"]


def test_an_unconfirmed_account_keeps_its_draft_and_is_sent_to_confirm(signed_in, citizen):
    from motcua.accounts.models import Verification

    # Opened online and its phone not confirmed yet: drafting is fine, submitting is not.
    Verification.objects.create(user=citizen)
    draft = start(signed_in)
    fill_all(signed_in, draft)
    for spec in required_specs(draft):
        attach(signed_in, draft, spec)
    refused = signed_in.post(f"/nop-ho-so/{draft.pk}/kiem-tra/")
    assert refused.status_code == 422
    html = refused.content.decode()
    assert f"/tai-khoan/xac-nhan/?next=/nop-ho-so/{draft.pk}/kiem-tra/" in html
    assert "Tài khoản của bạn chưa được xác nhận" in html
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.code
    assert draft.components.count() == len(required_specs(draft))
