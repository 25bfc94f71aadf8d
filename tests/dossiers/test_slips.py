"""The slips (Mẫu 01 … 06) as PDF: each only once issued, only to those who may see the dossier."""

import io
import unicodedata

import pytest
from django.utils import translation
from pypdf import PdfReader

from motcua.dossiers.models import AccessLog, Dossier
from motcua.dossiers.services import perform
from motcua.dossiers.slips import FORMS, slip_context, status_page_url

from .factories import counter, local, sign_in, submit

pytestmark = pytest.mark.django_db

MON = local(2026, 11, 16, 9, 0)  # a Monday


def url(dossier, form):
    return f"/api/v1/dossiers/{dossier.code}/forms/{form}.pdf"


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def fetch(client, user, dossier, form):
    sign_in(client, user)
    return client.get(url(dossier, form))


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


@pytest.fixture
def online(w):
    """Received, asked for a supplement, supplemented, forwarded, transferred, apologised for."""
    d = submit(w, MON)
    perform(d, "receive", w.reception, now=local(2026, 11, 16, 10, 0))
    perform(
        d,
        "request_supplement",
        w.reception,
        missing=[w.specs[0].pk, "Bản sao sổ hộ khẩu có chứng thực"],
        note="Bản chụp bị mờ",
        now=local(2026, 11, 16, 11, 0),
    )
    perform(d, "supplement", w.citizen, now=local(2026, 11, 17, 9, 0))
    perform(d, "forward", w.reception, now=local(2026, 11, 17, 10, 0))
    perform(d, "transfer", w.specialist, now=local(2026, 11, 18, 10, 0))
    perform(
        d,
        "apologize",
        w.partner_specialist,
        reason="Cần xác minh thêm tại cơ quan cấp tỉnh",
        new_due_at=local(2026, 11, 25, 16, 0),
        now=local(2026, 11, 19, 8, 30),
    )
    return fresh(d)


def test_receipt_lists_components_due_time_and_a_qr_code_of_the_status_page(w, online, client):
    response = fetch(client, w.citizen, online, "mau-01")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert online.code in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Mẫu số 01" in text
    for spec in w.specs:
        assert spec.name in text
    # The appointment as it was when the receipt was issued (the supplement moved it later).
    assert "09 giờ 00 phút, ngày 19/11/2026" in text
    assert online.due_at.astimezone(local(2026, 1, 1).tzinfo).hour == 16
    context = slip_context(online, "mau-01", base_url="http://testserver/")
    assert context["status_url"] == f"http://testserver/tra-cuu/?code={online.code}"
    assert context["qr"].startswith("data:image/svg+xml")


def test_status_page_address_follows_the_public_base_url(settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.gov.vn"
    assert status_page_url("000.00.31.H26-261116-0001", "http://internal/") == (
        "https://dichvucong.example.gov.vn/tra-cuu/?code=000.00.31.H26-261116-0001"
    )


def test_supplement_request_lists_everything_missing(w, online, client):
    text = text_of(fetch(client, w.reception, online, "mau-02").content)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert w.specs[0].name in text
    assert "Bản sao sổ hộ khẩu có chứng thực" in text
    assert "Bản chụp bị mờ" in text


def test_apology_states_reason_old_and_new_appointment(w, online, client):
    text = text_of(fetch(client, w.citizen, online, "mau-04").content)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Cần xác minh thêm tại cơ quan cấp tỉnh" in text
    assert "16 giờ 00 phút, ngày 19/11/2026" in text  # the appointment it replaces
    assert "16 giờ 00 phút, ngày 25/11/2026" in text
    assert w.partner.name in text  # issued by the agency that is late


def test_control_slip_judges_each_hand_off_against_its_budget(w, online, client):
    context = slip_context(online, "mau-06", now=local(2026, 11, 19, 9, 0))
    visits = context["visits"]
    assert [v["step"] for v in visits] == [s.name for s in w.steps[:3]]
    # Reception: 2 h budget, received 10:00, asked for documents at 11:00, supplemented the
    # next day at 09:00 and forwarded at 10:00: 2 working hours used, the wait not counted.
    assert (visits[0]["budget"], visits[0]["used"], visits[0]["paused"]) == ("2", "2", "6")
    assert visits[0]["verdict"] == "on_time"
    assert visits[0]["left_by"] == "Lê Tiếp Nhận"
    assert visits[1]["verdict"] == "on_time"  # 8 h from Tue 10:00 to Wed 10:00
    assert visits[2]["verdict"] == "overdue"  # 4 h budget, still there after 7 h
    assert context["partners"] == [w.partner.name]
    response = fetch(client, w.head, online, "mau-06")
    text = text_of(response.content)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Thẩm định" in text and "Xác nhận của Sở" in text
    assert "Quá hạn" in text and "Đúng hạn" in text


def test_refusal_and_stop_notice_give_the_reasons(w, client):
    refused = counter(w, MON)
    perform(refused, "refuse", w.reception, reason="Không thuộc thẩm quyền", now=MON)
    text = text_of(fetch(client, w.reception, refused, "mau-03").content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text
    assert "Không thuộc thẩm quyền" in text and refused.code in text
    assert "không giải quyết" in text  # refused after the counter had received it

    stopped = counter(w, MON)
    perform(stopped, "forward", w.reception, now=local(2026, 11, 16, 10, 0))
    perform(stopped, "stop", w.head, reason="Người nộp đề nghị dừng", now=local(2026, 11, 17))
    text = text_of(fetch(client, w.head, stopped, "mau-05").content)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text  # the title of Circular 03/2025's form
    assert "Người nộp đề nghị dừng" in text
    assert "Hoàng Trưởng Phòng" in text  # the head who stopped it signs


def test_pages_name_a_slip_by_the_title_it_prints():
    assert [str(form.label) for form in FORMS.values()] == [
        f"{form.title} (Mẫu {form.number})" for form in FORMS.values()
    ]
    assert str(FORMS["mau-05"].label) == "Thông báo dừng giải quyết hồ sơ (Mẫu 05)"
    with translation.override("en"):
        assert str(FORMS["mau-01"].label) == "Receipt and appointment slip (Form 01)"
        assert FORMS["mau-01"].title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"  # printed


def test_refusal_before_receipt_is_a_refusal_to_receive(w, client):
    d = submit(w, MON)
    perform(d, "refuse", w.reception, reason="Hồ sơ không đúng thủ tục", now=MON)
    text = text_of(fetch(client, w.citizen, d, "mau-03").content)
    assert "không tiếp nhận" in text


@pytest.mark.parametrize("form", ["mau-02", "mau-03", "mau-04", "mau-05"])
def test_a_slip_not_issued_is_404(w, client, form):
    d = counter(w, MON)  # received: Mẫu 01 and 06 only
    assert fetch(client, w.reception, d, "mau-01").status_code == 200
    response = fetch(client, w.reception, d, form)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_nothing_before_receipt_and_unknown_forms_are_404(w, client):
    d = submit(w, MON)
    for form in ("mau-01", "mau-06", "mau-07", "receipt"):
        assert fetch(client, w.citizen, d, form).status_code == 404


def test_strangers_get_404_and_anonymous_401(w, client):
    d = counter(w, MON, applicant_user=w.citizen)
    perform(d, "request_supplement", w.reception, missing=["Tờ khai"], now=MON)
    assert fetch(client, w.citizen, d, "mau-02").status_code == 200
    # Another citizen, and an officer of an agency that never held the dossier.
    for stranger in (w.other_citizen, w.outsider):
        for form in FORMS:
            response = fetch(client, stranger, d, form)
            assert response.status_code == 404, (stranger, form)
            assert response.json()["error"]["code"] == "not_found"
    client.logout()
    assert client.get(url(d, "mau-01")).status_code == 401


def test_an_officers_print_is_logged_for_the_citizen_not_the_applicants(w, online, client):
    before = AccessLog.objects.filter(dossier=online).count()
    fetch(client, w.citizen, online, "mau-01")
    assert AccessLog.objects.filter(dossier=online).count() == before
    fetch(client, w.reception, online, "mau-01")
    log = AccessLog.objects.filter(dossier=online).latest("at")
    assert log.user == w.reception and "Giấy tiếp nhận" in log.purpose
