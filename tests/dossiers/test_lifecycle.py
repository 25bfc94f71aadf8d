"""Whole lives of dossiers through the services (the API scenarios are in test_api.py)."""

from decimal import Decimal

import pytest

from motcua.core.errors import ActionNotAllowed, Forbidden, NotFound, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierComponent, Event, Status, StoredFile
from motcua.dossiers.services import perform

from .factories import FULL_LIFE, counter, local, submit, upload

pytestmark = pytest.mark.django_db

MON = local(2026, 11, 16, 9, 0)  # a Monday


def test_online_submission_is_numbered_and_due_from_the_submission_instant(w):
    dossier = submit(w, MON)
    assert dossier.code == f"{w.home.code}-261116-0001"
    assert dossier.status == Status.SUBMITTED
    assert dossier.due_at == local(2026, 11, 19, 9, 0)  # 3 working days later
    assert dossier.applicant["full_name"] == "Nguyễn Văn An"
    assert dossier.applicant["id_number"] == w.citizen.id_number
    assert DossierComponent.objects.filter(dossier=dossier).count() == 2
    assert not StoredFile.objects.filter(attached=False).exists()
    second = submit(w, MON.replace(hour=10))
    assert second.code.endswith("-261116-0002")
    next_day = submit(w, local(2026, 11, 17, 8, 0))
    assert next_day.code.endswith("-261117-0001")


def test_code_uses_the_local_date_of_receipt(w):
    # 23:30 on Sunday UTC is already Monday in Hà Nội.
    dossier = submit(w, local(2026, 11, 16, 6, 30))
    assert dossier.code.endswith("-261116-0001")


def test_missing_required_component_is_named(w):
    with pytest.raises(ValidationFailed) as caught:
        services.submit_online(
            applicant_user=w.citizen,
            procedure=w.procedure.code,
            agency=w.home.code,
            form={"child_name": "A"},
            components=[{"spec_id": w.specs[0].pk, "file_id": str(upload(w.citizen).pk)}],
            now=MON,
        )
    assert any(w.specs[1].name in m for m in caught.value.fields["components"])
    assert not Dossier.objects.exists()


def test_form_is_validated_against_the_procedure_schema(w):
    with pytest.raises(ValidationFailed) as caught:
        services.submit_online(
            applicant_user=w.citizen,
            procedure=w.procedure.code,
            agency=w.home.code,
            form={"child_name": 12},
            components=[],
            now=MON,
        )
    assert caught.value.fields["form.child_name"] == ["Sai kiểu dữ liệu."]
    with pytest.raises(ValidationFailed) as caught:
        services.submit_online(
            applicant_user=w.citizen,
            procedure=w.procedure.code,
            agency=w.home.code,
            form={},
            components=[],
            now=MON,
        )
    assert caught.value.fields["form.child_name"] == ["Bắt buộc nhập."]


def test_someone_elses_file_cannot_be_attached(w):
    theirs = upload(w.other_citizen)
    with pytest.raises(ValidationFailed) as caught:
        services.submit_online(
            applicant_user=w.citizen,
            procedure=w.procedure.code,
            agency=w.home.code,
            form={"child_name": "A"},
            components=[{"spec_id": w.specs[0].pk, "file_id": str(theirs.pk)}],
            now=MON,
        )
    assert "components.0.file_id" in caught.value.fields


def test_full_life_with_inter_agency_transfer_and_back(w):
    d = submit(w, MON)
    d = perform(d.code, "receive", w.reception, now=MON.replace(hour=10))
    assert (d.status, d.current_step, d.received_at) == (
        Status.PROCESSING,
        w.steps[0],
        MON.replace(hour=10),
    )
    d = perform(d.code, "forward", w.reception, now=MON.replace(hour=11))
    assert d.current_step == w.steps[1]
    # The next step belongs to another agency: forward is not the way, transfer is.
    assert "forward" not in services.allowed_actions(d, w.specialist, MON)
    with pytest.raises(ActionNotAllowed):
        perform(d.code, "forward", w.specialist, now=MON.replace(hour=14))
    d = perform(d.code, "transfer", w.specialist, now=MON.replace(hour=14))
    assert (d.current_step, d.current_agency, d.held_by) == (w.steps[2], w.partner, w.partner)
    # The home specialist no longer holds the step; the partner's specialist does.
    with pytest.raises(ActionNotAllowed):
        perform(d.code, "transfer", w.specialist, now=MON.replace(hour=15))
    d = perform(d.code, "transfer", w.partner_specialist, now=MON.replace(hour=16))
    assert (d.current_step, d.current_agency, d.held_by) == (w.steps[3], w.home, None)
    result = upload(w.leader)
    d = perform(
        d.code, "finish", w.leader, now=local(2026, 11, 17, 9), result_file_id=str(result.pk)
    )
    assert d.status == Status.RESULT_READY
    assert d.finished_at == local(2026, 11, 17, 9)
    assert d.timeliness == "early"  # ended on the 17th, due on the 19th
    d = perform(
        d.code, "return_result", w.reception, now=local(2026, 11, 18, 9), delivery="counter"
    )
    assert d.status == Status.RETURNED
    assert d.finished_at == local(2026, 11, 17, 9)  # the end is the first of result/return
    actions = list(Event.objects.filter(dossier=d).values_list("action", flat=True))
    assert actions == FULL_LIFE
    assert services.verify_chain(d.pk) == (True, "")


def test_counter_dossier_is_received_at_the_first_step_with_digitised_components(w):
    d = counter(w, MON)
    assert d.status == Status.PROCESSING
    assert d.current_step == w.steps[0]
    assert d.code.endswith("-261116-0001")
    assert d.channel == "counter"
    assert d.applicant_user is None
    assert all(c.digitised for c in d.components.all())
    event = d.events.get()
    assert (event.action, event.to_status, event.documents) == ("receive", "processing", ["mau-01"])


def test_counter_reception_needs_the_reception_role_at_that_agency(w):
    with pytest.raises(Forbidden):
        services.receive_at_counter(
            officer=w.partner_specialist,
            procedure=w.procedure.code,
            agency=w.home.code,
            applicant={"kind": "citizen", "full_name": "A", "id_number": "026090000111"},
            form={"child_name": "A"},
            components=[],
            now=MON,
        )


def test_supplement_moves_due_at_by_the_paused_working_time(w):
    d = submit(w, MON)  # due Thursday 19th 09:00
    d = perform(d.code, "receive", w.reception, now=MON)
    d = perform(
        d.code,
        "request_supplement",
        w.reception,
        now=local(2026, 11, 16, 15, 0),
        missing=[w.specs[1].pk, "Bản sao sổ hộ khẩu"],
    )
    assert d.status == Status.AWAITING_SUPPLEMENT and d.paused
    event = d.events.last()
    assert event.payload["missing"] == [
        {"spec_id": w.specs[1].pk, "name": w.specs[1].name},
        {"name": "Bản sao sổ hộ khẩu"},
    ]
    assert event.documents == ["mau-02"]
    # Paused from Monday 15:00 to Wednesday 10:00: 2 + 8 + 2 = 12 working hours.
    d = perform(
        d.code,
        "supplement",
        w.citizen,
        now=local(2026, 11, 18, 10, 0),
        components=[{"name": "Sổ hộ khẩu", "file_id": str(upload(w.citizen).pk)}],
    )
    assert d.status == Status.PROCESSING and not d.paused
    assert d.paused_hours == Decimal("12")
    assert d.due_at == local(2026, 11, 20, 14, 0)  # Thu 09:00 + 12 h -> Fri 14:00
    assert d.components.filter(supplement=True).count() == 1
    d = perform(d.code, "forward", w.reception, now=local(2026, 11, 18, 11))
    d = perform(d.code, "transfer", w.specialist, now=local(2026, 11, 18, 14))
    d = perform(d.code, "transfer", w.partner_specialist, now=local(2026, 11, 19, 9))
    d = perform(
        d.code,
        "finish",
        w.leader,
        now=local(2026, 11, 20, 13),
        result_file_id=str(upload(w.leader).pk),
    )
    assert d.timeliness == "on_time"  # after the original due time, before the moved one


def test_supplement_before_reception_returns_to_submitted(w):
    d = submit(w, MON)
    d = perform(d.code, "request_supplement", w.reception, now=MON, missing=["Giấy chứng sinh"])
    d = perform(d.code, "supplement", w.citizen, now=MON.replace(hour=11))
    assert d.status == Status.SUBMITTED
    assert d.due_at == local(2026, 11, 19, 11, 0)


def test_two_supplement_requests_make_the_dossier_overdue(w):
    d = counter(w, MON)
    for hour in (10, 14):
        d = perform(
            d.code, "request_supplement", w.reception, now=MON.replace(hour=hour), missing=["X"]
        )
        d = perform(d.code, "supplement", w.reception, now=MON.replace(hour=hour + 1))
    d = perform(d.code, "refuse", w.leader, now=MON.replace(hour=16), reason="Không đủ điều kiện")
    assert d.supplement_requests == 2
    assert d.timeliness == "overdue"


def test_refuse_needs_reasons_and_ends_the_dossier(w):
    d = submit(w, MON)
    with pytest.raises(ValidationFailed):
        perform(d.code, "refuse", w.reception, now=MON)
    assert Dossier.objects.get(pk=d.pk).status == Status.SUBMITTED
    d = perform(d.code, "refuse", w.reception, now=MON.replace(hour=10), reason="Sai thẩm quyền")
    assert d.status == Status.REFUSED
    assert d.finished_at == MON.replace(hour=10)
    assert d.events.last().documents == ["mau-03"]


def test_withdraw_is_the_applicants_and_only_before_a_result(w):
    d = submit(w, MON)
    with pytest.raises(ActionNotAllowed):
        perform(d.code, "withdraw", w.reception, now=MON)
    with pytest.raises(NotFound):
        perform(d.code, "withdraw", w.other_citizen, now=MON)
    d = perform(d.code, "withdraw", w.citizen, now=MON.replace(hour=10), reason="Nộp nhầm")
    assert (d.status, d.finished_at) == (Status.WITHDRAWN, MON.replace(hour=10))


def test_apology_before_due_sets_a_new_appointment_judged_against_the_original(w):
    d = counter(w, MON)  # due Thursday 09:00
    with pytest.raises(ValidationFailed):
        perform(d.code, "apologize", w.leader, now=MON, reason="Chờ xác minh")
    new = local(2026, 11, 24, 17)
    d = perform(
        d.code,
        "apologize",
        w.leader,
        now=local(2026, 11, 18, 16),
        reason="Cần xác minh thêm với cơ quan khác",
        new_due_at=new.isoformat(),
    )
    assert d.extended_due_at == new
    assert d.due_at == local(2026, 11, 19, 9)
    assert d.events.last().documents == ["mau-04"]
    # Past the original due time no more apology (the new appointment is still ahead).
    with pytest.raises(ActionNotAllowed):
        perform(
            d.code,
            "apologize",
            w.leader,
            now=local(2026, 11, 25, 8),
            reason="x",
            new_due_at=local(2026, 11, 30, 17).isoformat(),
        )
    d = perform(d.code, "forward", w.reception, now=local(2026, 11, 20, 9))
    d = perform(d.code, "transfer", w.specialist, now=local(2026, 11, 20, 10))
    d = perform(d.code, "transfer", w.partner_specialist, now=local(2026, 11, 23, 10))
    d = perform(
        d.code,
        "finish",
        w.leader,
        now=local(2026, 11, 24, 9),
        result_file_id=str(upload(w.leader).pk),
    )
    assert d.timeliness == "overdue"  # statistics keep the original due_at


def test_payment_and_stop(w):
    d = counter(w, MON)
    d = perform(d.code, "request_payment", w.reception, now=MON, amount=50000)
    assert d.status == Status.AWAITING_PAYMENT
    d = perform(
        d.code, "record_payment", w.reception, now=MON.replace(hour=10), receipt_number="BL-1"
    )
    assert d.status == Status.PROCESSING
    assert d.events.last().payload == {"amount": 50000, "receipt_number": "BL-1"}
    d = perform(d.code, "stop", w.head, now=MON.replace(hour=11), reason="Hồ sơ giả mạo")
    assert d.status == Status.STOPPED
    assert d.events.last().documents == ["mau-05"]


def test_send_back_returns_to_the_previous_step_of_the_agency(w):
    d = counter(w, MON)
    d = perform(d.code, "forward", w.reception, now=MON)
    d = perform(d.code, "send_back", w.specialist, now=MON.replace(hour=10), note="Thiếu chữ ký")
    assert d.current_step == w.steps[0]
    with pytest.raises(ActionNotAllowed):  # nothing before the first step
        perform(d.code, "send_back", w.reception, now=MON.replace(hour=11))


def test_draft_is_numbered_only_when_submitted(w):
    d = services.submit_online(
        applicant_user=w.citizen,
        procedure=w.procedure.code,
        agency=w.home.code,
        form={},
        components=[],
        draft=True,
        now=MON,
    )
    assert (d.code, d.status) == (None, Status.DRAFT)
    with pytest.raises(ValidationFailed):
        perform(d.pk, "submit", w.citizen, now=MON)
    Dossier.objects.filter(pk=d.pk).update(form={"child_name": "A"})
    for spec in w.specs:
        DossierComponent.objects.create(
            dossier=d, spec=spec, name=spec.name, file=upload(w.citizen), added_at=MON
        )
    d = perform(d.pk, "submit", w.citizen, now=MON.replace(hour=10))
    assert d.status == Status.SUBMITTED
    assert d.code.endswith("-261116-0001")
    assert d.due_at == local(2026, 11, 19, 10)


def test_a_pause_asked_by_another_agency_counts_in_the_receiving_agency_office_hours(w):
    # The partner agency keeps other hours: 07:00–11:00 and 13:30–17:30.
    type(w.partner).objects.filter(pk=w.partner.pk).update(
        office_hours=[["07:00", "11:00"], ["13:30", "17:30"]]
    )
    d = submit(w, MON)  # due Thursday 19th 09:00, in the receiving agency's hours
    d = perform(d.code, "receive", w.reception, now=MON)
    d = perform(d.code, "forward", w.reception, now=MON.replace(minute=30))
    d = perform(d.code, "transfer", w.specialist, now=MON.replace(hour=10))
    assert d.current_agency_id == w.partner.pk
    d = perform(
        d.code,
        "request_supplement",
        w.partner_specialist,
        now=local(2026, 11, 16, 15, 0),
        missing=["Bản sao sổ hộ khẩu"],
    )
    d = perform(
        d.code,
        "supplement",
        w.citizen,
        now=local(2026, 11, 17, 10, 0),
        components=[{"name": "Sổ hộ khẩu", "file_id": str(upload(w.citizen).pk)}],
    )
    # Monday 15:00 to Tuesday 10:00 in 08:00–12:00, 13:00–17:00: 2 + 2 = 4 working hours
    # (5.5 in the partner's hours), and the appointment moves by those 4.
    assert d.paused_hours == Decimal("4")
    assert d.due_at == local(2026, 11, 19, 14, 0)
