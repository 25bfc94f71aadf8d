"""The dossier page: what an officer reads, and one form per allowed action, each doing it."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from motcua.payments import services as payments
from tests.dossiers import factories


def page(client, dossier):
    response = client.get(f"/mot-cua/ho-so/{dossier.code}/")
    assert response.status_code == 200
    return response.content.decode()


def action_forms(html) -> list[str]:
    return re.findall(r'/thao-tac/([a-z_]+)/"', html)


def act(client, dossier, action, data=None, **files):
    payload = {f"{action}-{k}": v for k, v in (data or {}).items()}
    payload.update({f"{action}-{k}": v for k, v in files.items()})
    return client.post(f"/mot-cua/ho-so/{dossier.code}/thao-tac/{action}/", payload)


def pdf(name="ket-qua.pdf"):
    return SimpleUploadedFile(name, factories.PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def received(w):
    return factories.counter(w, timezone.now() - timedelta(minutes=30))


def test_the_page_shows_applicant_answers_components_history_and_deadline(as_user, w, received):
    html = page(as_user(w.specialist), received)
    assert "026090000111" in html  # the full ID number, for the agency's officers
    assert "Bùi Văn Quầy" in html
    assert "Bùi Văn Nhỏ" in html  # a form answer
    for spec in w.specs:
        assert spec.name in html
    component = received.components.first()
    assert f"/mot-cua/ho-so/{received.code}/tep/{component.file_id}/" in html
    assert "/media/" not in html
    assert "Tiếp nhận" in html and "Lê Tiếp Nhận" in html  # the history's first event
    assert received.due_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in html
    assert "Trong hạn" in html
    assert "Tiếp nhận hồ sơ" in html  # the step visit with its budget
    assert f"/api/v1/dossiers/{received.code}/forms/mau-01.pdf" in html
    assert f"/api/v1/dossiers/{received.code}/forms/mau-06.pdf" in html


@pytest.mark.parametrize("who", ["reception", "specialist", "head", "leader"])
def test_exactly_the_allowed_actions_have_forms(as_user, w, received, who):
    officer = getattr(w, who)
    html = page(as_user(officer), received)
    expected = services.allowed_actions(Dossier.objects.get(pk=received.pk), officer)
    assert sorted(action_forms(html)) == sorted(expected)


def test_receive_an_online_dossier(as_user, w):
    online = factories.submit(w, timezone.now() - timedelta(minutes=5))
    client = as_user(w.reception)
    assert "receive" in action_forms(page(client, online))
    response = act(client, online, "receive", {"note": "Đủ giấy tờ"})
    assert response.status_code == 302
    online.refresh_from_db()
    assert online.status == Status.PROCESSING
    assert online.events.last().note == "Đủ giấy tờ"


def test_request_supplement_lists_specs_and_free_text(as_user, w, received):
    client = as_user(w.reception)
    html = page(client, received)
    for spec in w.specs:
        assert f'value="{spec.pk}"' in html
    response = act(
        client,
        received,
        "request_supplement",
        {"missing": [str(w.specs[0].pk)], "other": "Bản sao sổ hộ khẩu\n\nGiấy ủy quyền"},
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.AWAITING_SUPPLEMENT
    missing = [item["name"] for item in received.events.last().payload["missing"]]
    assert missing == [w.specs[0].name, "Bản sao sổ hộ khẩu", "Giấy ủy quyền"]


def test_request_supplement_with_nothing_listed_keeps_the_page(as_user, w, received):
    response = act(as_user(w.reception), received, "request_supplement", {"note": "giữ lại"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "mọi giấy tờ phải bổ sung" in html
    assert "giữ lại" in html  # the input is not lost
    received.refresh_from_db()
    assert received.status == Status.PROCESSING


def test_supplement_at_the_counter(as_user, w, received):
    services.perform(received, "request_supplement", w.reception, missing=["Giấy ủy quyền"])
    client = as_user(w.reception)
    response = act(
        client,
        received,
        "supplement",
        {"spec": "", "name": "Giấy ủy quyền"},
        files=[pdf("uy-quyen-1.pdf"), pdf("uy-quyen-2.pdf")],
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.PROCESSING
    added = received.components.filter(supplement=True)
    assert [c.name for c in added] == ["Giấy ủy quyền", "Giấy ủy quyền"]
    assert all(c.digitised for c in added)


@pytest.mark.parametrize(
    "action,who,to", [("refuse", "reception", "refused"), ("stop", "leader", "stopped")]
)
def test_refuse_and_stop_need_reasons(as_user, w, received, action, who, to):
    client = as_user(getattr(w, who))
    missing_reason = act(client, received, action, {"reason": ""})
    assert missing_reason.status_code == 422
    response = act(client, received, action, {"reason": "Không thuộc thẩm quyền"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == to
    assert received.events.last().payload["reason"] == "Không thuộc thẩm quyền"


def test_a_stopped_dossier_lists_its_notice_by_the_printed_title(as_user, w, received):
    services.perform(received.code, "stop", w.head, reason="Người nộp đề nghị dừng")
    html = page(as_user(w.reception), received)
    assert "Thông báo dừng giải quyết hồ sơ (Mẫu 05)" in html
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06)" in html


def test_forward_send_back_and_transfer(as_user, w, received):
    reception, specialist = as_user(w.reception), None
    html = page(reception, received)
    assert f'value="{w.steps[1].pk}"' in html
    response = act(
        reception, received, "forward", {"to_step": w.steps[1].pk, "assignee": w.specialist.pk}
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.current_step_id == w.steps[1].pk
    assert received.assignee_id == w.specialist.pk
    specialist = as_user(w.specialist)
    assert act(specialist, received, "send_back", {"to_step": w.steps[0].pk}).status_code == 302
    received.refresh_from_db()
    assert received.current_step_id == w.steps[0].pk
    services.perform(received, "forward", w.reception)
    response = act(specialist, received, "transfer", {"to_step": w.steps[2].pk})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.current_agency_id == w.partner.pk


def test_payment_requested_and_recorded(as_user, w, received):
    client = as_user(w.reception)
    assert 'value="8000"' in page(client, received)  # the fee due, as the default amount
    assert act(client, received, "request_payment", {"amount": 8000}).status_code == 302
    received.refresh_from_db()
    assert received.status == Status.AWAITING_PAYMENT
    response = act(client, received, "record_payment", {"amount": 8000, "receipt_number": "BL-01"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.PROCESSING
    assert received.events.last().payload["receipt_number"] == "BL-01"


def test_the_amount_asked_for_stays_the_default_after_an_apology(as_user, w, received):
    services.perform(received, "request_payment", w.reception, amount=12000)
    services.perform(
        received,
        "apologize",
        w.leader,
        reason="Cần xác minh",
        new_due_at=received.due_at + timedelta(days=3),
    )
    form = page(as_user(w.reception), received).split('/thao-tac/record_payment/"', 1)[1]
    assert re.search(r'name="record_payment-amount" value="12000"', form)


def test_apologize_with_a_new_appointment(as_user, w, received):
    client = as_user(w.leader)
    when = timezone.localtime(received.due_at + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = act(client, received, "apologize", {"new_due_at": when, "reason": "Cần xác minh"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert timezone.localtime(received.extended_due_at).strftime("%Y-%m-%dT%H:%M") == when


def test_a_service_error_is_a_message_and_keeps_the_input(as_user, w, received):
    client = as_user(w.leader)
    before = timezone.localtime(received.due_at - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = act(client, received, "apologize", {"new_due_at": before, "reason": "Lý do giữ lại"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ngày hẹn mới phải sau ngày hẹn hiện tại." in html
    assert "Lý do giữ lại" in html and before in html
    received.refresh_from_db()
    assert received.extended_due_at is None


def test_an_action_no_longer_allowed_is_a_409_message(as_user, w, received):
    services.perform(received, "refuse", w.reception, reason="Thiếu thẩm quyền")
    response = act(as_user(w.reception), received, "request_payment", {"amount": 1000})
    assert response.status_code == 409
    assert "Không thể thực hiện" in response.content.decode()


def test_finish_with_a_result_file_then_return_it(as_user, w, received):
    Dossier.objects.filter(pk=received.pk).update(current_step=w.steps[3])
    leader = as_user(w.leader)
    without = act(leader, received, "finish", {})
    assert without.status_code == 422
    response = act(leader, received, "finish", {}, result_file=pdf())
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.RESULT_READY
    assert received.result_file.name == "ket-qua.pdf"
    html = page(as_user(w.reception), received)
    assert f"/tep/{received.result_file_id}/" in html
    payments.start_payment(received.code, w.reception, method="cash")
    response = act(as_user(w.reception), received, "return_result", {"delivery": "post"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.RETURNED
    assert received.delivery == "post"


def test_an_unpaid_fee_says_why_the_result_waits_and_how_to_collect(as_user, w, received):
    Dossier.objects.filter(pk=received.pk).update(current_step=w.steps[3])
    services.perform(
        received, "finish", w.leader, result_file_id=str(factories.upload(w.leader).pk)
    )
    html = page(as_user(w.reception), received)
    assert "return_result" not in action_forms(html)
    assert "Chưa thu phí 8.000 đồng: thu phí trước khi trả kết quả." in html
    assert "Bạn không có thao tác nào" not in html
    assert 'href="#thu-tai-quay"' in html and 'id="thu-tai-quay"' in html
    # A specialist, who may not return results, reads no such message.
    assert "Chưa thu phí" not in page(as_user(w.specialist), received)
    payments.start_payment(received.code, w.reception, method="cash")
    html = page(as_user(w.reception), received)
    assert "Chưa thu phí" not in html and "return_result" in action_forms(html)


def test_an_unknown_action_is_404(as_user, w, received):
    response = act(as_user(w.reception), received, "explode", {})
    assert response.status_code == 404


def test_the_slip_links_open_with_the_officers_session(as_user, w, received):
    client = as_user(w.reception)
    html = page(client, received)
    url = re.search(r'href="(/api/v1/dossiers/[^"]+/forms/mau-01\.pdf)"', html).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert as_user(w.outsider).get(url).status_code == 404
