"""`perform`: every action on a dossier after its creation, through one door. It locks the
row, asks the workflow who may act and whether the action can happen now, lets the action's
handler change the dossier's data, sets the status the table gives, and appends the event,
all in one transaction."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from motcua.catalog.models import OfficerRole, Step
from motcua.core.errors import ActionNotAllowed, NotFound, ValidationFailed
from motcua.workdays.deadlines import add_working_time, working_hours_between

from ..hooks import dossier_fees, result_sealing
from ..identity import identity_check
from ..models import ENDED, Dossier, StoredFile
from ..procedures import first_step
from ..queries import can_see, is_applicant
from ..timeliness import dossier_timeliness
from .checks import _Errors, check_components, files_for, require_confirmed_account, validate_form
from .history import append_event
from .submission import (
    assign_code,
    attach,
    clean_registry_fields,
    due_at_for,
    holder_of,
    registry_kept,
    registry_resident,
)
from .workflow import (
    ACTIONS,
    RECEPTION,
    TRANSITIONS,
    candidate_steps,
    refusal,
    role_for,
    step_agency_id,
    system_role,
)

DELIVERIES = ("counter", "post", "electronic")


def _locked(dossier) -> Dossier:
    rows = Dossier.objects.select_for_update(of=("self",)).select_related(
        "procedure", "agency", "current_step", "current_agency"
    )
    if isinstance(dossier, Dossier):
        found = rows.filter(pk=dossier.pk).first()
    elif isinstance(dossier, int):
        found = rows.filter(pk=dossier).first()
    else:
        found = rows.filter(code=dossier).first() if dossier else None
    if found is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return found


def perform(
    dossier, action: str, actor, *, now: datetime | None = None, system: str | None = None, **args
) -> Dossier:
    """Do `action` on the dossier (its code, id or instance) as `actor`, or as a `system`
    of `workflow.SYSTEM_ACTIONS` (then `actor` is None).

    Raises NotFound when the actor may not see the dossier, ActionNotAllowed (409) when the
    table or the moment does not allow the action, ValidationFailed (422) for bad arguments.
    """
    if action not in ACTIONS:
        raise ValidationFailed(fields={"action": [f"Thao tác không tồn tại: {action}."]})
    now = now or timezone.now()
    with transaction.atomic():
        d = _locked(dossier)
        if system is not None:
            role = system_role(d, action, system) if actor is None else None
        elif not can_see(actor, d):
            raise NotFound("Không tìm thấy hồ sơ.")
        else:
            role = role_for(d, action, actor)
        if role is None:
            raise ActionNotAllowed(
                f"Không thể thực hiện “{action}” khi hồ sơ ở trạng thái “{d.get_status_display()}”."
            )
        refused = refusal(d, action, now, args)
        if refused is not None:
            raise refused
        from_status, from_step_id = d.status, d.current_step_id
        rule = TRANSITIONS[(d.status, action)]
        d.status = rule.to_status
        note, payload, documents = _HANDLERS[action](d, actor, now, _Args(args))
        d.status = rule.outcome(d, payload)
        if d.status in ENDED and d.finished_at is None:
            d.finished_at = now
        if d.status in ENDED:
            d.due_soon = False
        d.timeliness = dossier_timeliness(d, now)
        d.updated_at = now
        d.save()
        append_event(
            d,
            at=now,
            actor=actor,
            role=role,
            action=action,
            from_status=from_status,
            from_step_id=from_step_id,
            note=note,
            payload=payload,
            documents=documents,
            write_head=action != "submit",  # the code's statement writes it
        )
        if action == "submit":
            assign_code(d, now)
    return d


class _Args:
    """The action's arguments, read by name with clear errors."""

    def __init__(self, args: dict) -> None:
        self.args = {k: v for k, v in args.items() if v is not None}

    def text(self, key: str, *, required=False, max_length=2000) -> str:
        value = self.args.get(key, "")
        if not isinstance(value, str):
            raise ValidationFailed(fields={key: ["Phải là chuỗi ký tự."]})
        value = value.strip()
        if required and not value:
            raise ValidationFailed(fields={key: ["Bắt buộc nhập."]})
        if len(value) > max_length:
            raise ValidationFailed(fields={key: [f"Tối đa {max_length} ký tự."]})
        return value

    def get(self, key: str, default=None):
        return self.args.get(key, default)


def _note(args: _Args) -> str:
    return args.text("note")


def _h_submit(d, actor, now, args):
    require_confirmed_account(actor)
    errors = _Errors()
    validate_form(d.procedure.form_schema, d.form, errors)
    # Components outside the procedure's list (an assisted submission's consent form) are
    # not the procedure's to check.
    given = [(c.spec_id, c.file, {}) for c in d.components.all() if c.spec_id is not None]
    check_components(d.procedure, given, errors)
    errors.raise_if_any()
    claimed = clean_registry_fields(d.registry_fields)
    if claimed:
        # A draft kept the paths claimed while it was written; only now do they count.
        person = d.applicant.get("id_number") or getattr(d.applicant_user, "id_number", "")
        resident = registry_resident(person or "", claimed, user=actor)
        d.registry_fields = registry_kept(d.procedure, d.form, resident, claimed)
        d.from_registry = bool(d.registry_fields)
    d.identity_check = identity_check(actor, dossier=d)
    # perform() saves and writes the event, then numbers the dossier.
    d.submitted_at = now
    d.due_at = due_at_for(d.procedure, d.agency, now)
    return _note(args), {"channel": d.channel, "due_at": d.due_at}, []


def _h_receive(d, actor, now, args):
    first = first_step(d.procedure)
    d.current_step = first
    d.current_agency_id = step_agency_id(d, first)
    d.held_by_id = holder_of(d.agency_id, first)
    d.received_at = now
    d.assignee = _assignee(args, d, first)
    # Fees due at submission or before processing and not paid yet: the amount owed goes in
    # the event, and the workflow keeps the dossier waiting for it (`asked_for_payment`).
    owed = dossier_fees().owed_before_processing(d)
    return _note(args), ({"amount": owed} if owed > 0 else {}), ["mau-01"]


def _missing_items(d: Dossier, missing) -> list[dict]:
    if not isinstance(missing, list) or not missing:
        raise ValidationFailed(
            "Cần liệt kê đầy đủ giấy tờ phải bổ sung.",
            fields={"missing": ["Cần liệt kê ít nhất một giấy tờ phải bổ sung."]},
        )
    specs = {spec.pk: spec for spec in d.procedure.components.all()}
    items = []
    for index, item in enumerate(missing):
        spec_id = item if isinstance(item, int) and not isinstance(item, bool) else None
        if isinstance(item, str) and item.strip().isdigit() and int(item) in specs:
            spec_id = int(item)
        if spec_id is not None:
            if spec_id not in specs:
                raise ValidationFailed(
                    fields={f"missing.{index}": ["Không thuộc thành phần hồ sơ của thủ tục."]}
                )
            items.append({"spec_id": spec_id, "name": specs[spec_id].name})
        elif isinstance(item, str) and item.strip():
            items.append({"name": item.strip()[:500]})
        else:
            raise ValidationFailed(fields={f"missing.{index}": ["Giá trị không hợp lệ."]})
    return items


def _h_request_supplement(d, actor, now, args):
    items = _missing_items(d, args.get("missing"))
    d.paused_at = now
    d.supplement_requests += 1
    return _note(args), {"missing": items}, ["mau-02"]


def _h_supplement(d, actor, now, args):
    errors = _Errors()
    owner = actor
    given = files_for(args.get("components") or [], owner, errors)
    errors.raise_if_any()
    # The applicant's time never counts against the agency: the appointment moves on by the
    # working time the pause took. Both are counted in the receiving agency's office hours,
    # the clock the appointment was given in (Mẫu 01), whichever agency asked for the
    # documents, so that the appointment moves by exactly the time it was paused.
    office_hours = d.agency.office_hours
    hours = working_hours_between(d.paused_at, now, office_hours)
    if hours > 0:
        d.due_at = add_working_time(d.due_at, hours, office_hours)
        if d.extended_due_at:
            d.extended_due_at = add_working_time(d.extended_due_at, hours, office_hours)
    d.paused_hours = Decimal(d.paused_hours) + hours
    d.paused_at = None
    attach(
        d, given, now, supplement=True, digitised=actor is not None and not is_applicant(actor, d)
    )
    return _note(args), {"paused_hours": hours, "due_at": d.due_at, "files": len(given)}, []


def _h_refuse(d, actor, now, args):
    reason = args.text("reason", required=True)
    d.paused_at = None
    return _note(args), {"reason": reason}, ["mau-03"]


def _h_stop(d, actor, now, args):
    reason = args.text("reason", required=True)
    d.paused_at = None
    return _note(args), {"reason": reason}, ["mau-05"]


def _h_withdraw(d, actor, now, args):
    d.paused_at = None
    return _note(args), {"reason": args.text("reason")}, []


def _move(d, actor, now, args, action):
    candidates = candidate_steps(d, action)
    wanted, to_agency = args.get("to_step"), args.get("to_agency")
    if wanted is not None:
        target = next((s for s in candidates if str(s.pk) == str(wanted)), None)
        if target is None:
            raise ValidationFailed(fields={"to_step": ["Không thể chuyển hồ sơ tới bước này."]})
    elif to_agency:
        target = next((s for s in candidates if _agency_code(d, s) == to_agency), None)
        if target is None:
            raise ValidationFailed(
                fields={"to_agency": ["Quy trình không có bước nào tại cơ quan này."]}
            )
    else:
        target = candidates[0]
    d.current_step = target
    d.current_agency_id = step_agency_id(d, target)
    d.held_by_id = holder_of(d.agency_id, target)
    d.assignee = _assignee(args, d, target)
    payload = {"to_step": target.pk, "to_agency": _agency_code(d, target)}
    return _note(args), payload, []


def _agency_code(d: Dossier, step: Step) -> str:
    return step.agency.code if step.agency_id else d.agency.code


def _assignee(args: _Args, d: Dossier, step: Step | None):
    wanted = args.get("assignee")
    if wanted in (None, ""):
        return None
    agency_id = step_agency_id(d, step)
    role = step.role if step else RECEPTION
    holder = (
        OfficerRole.objects.filter(user_id=_int(wanted, "assignee"), agency_id=agency_id, role=role)
        .select_related("user")
        .first()
    )
    if holder is None:
        raise ValidationFailed(fields={"assignee": ["Cán bộ không giữ vai trò của bước này."]})
    return holder.user


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(fields={field: ["Phải là một số nguyên."]}) from None


def _h_forward(d, actor, now, args):
    return _move(d, actor, now, args, "forward")


def _h_send_back(d, actor, now, args):
    return _move(d, actor, now, args, "send_back")


def _h_transfer(d, actor, now, args):
    return _move(d, actor, now, args, "transfer")


def _amount(args: _Args, default: int | None) -> int:
    value = args.get("amount", default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationFailed(fields={"amount": ["Số tiền phải là số nguyên dương (đồng)."]})
    return value


def fees_due(d: Dossier) -> int:
    """The procedure's fees for this dossier (channel, form answers, exemptions), whether or
    not they are due yet (asked of the `dossier_fees` port)."""
    return dossier_fees().scheduled(d)


def _h_request_payment(d, actor, now, args):
    amount = _amount(args, fees_due(d) or None)
    return _note(args), {"amount": amount}, []


def _h_record_payment(d, actor, now, args):
    amount = _amount(args, dossier_fees().requested(d))
    receipt = args.text("receipt_number", max_length=50)
    payload = {"amount": amount, "receipt_number": receipt}
    if args.get("payment"):
        payload["payment"] = str(args.get("payment"))  # ours: the payment and its receipt
    return _note(args), payload, []


def _h_apologize(d, actor, now, args):
    reason = args.text("reason", required=True)
    new_due_at = args.get("new_due_at")
    if isinstance(new_due_at, str):
        new_due_at = parse_datetime(new_due_at)
    if not isinstance(new_due_at, datetime) or timezone.is_naive(new_due_at):
        raise ValidationFailed(
            fields={"new_due_at": ["Cần ngày giờ hẹn mới (ISO 8601, có múi giờ)."]}
        )
    current = d.extended_due_at or d.due_at
    if new_due_at <= current:
        raise ValidationFailed(fields={"new_due_at": ["Ngày hẹn mới phải sau ngày hẹn hiện tại."]})
    d.extended_due_at = new_due_at
    payload = {"reason": reason, "previous_due_at": current, "new_due_at": new_due_at}
    return _note(args), payload, ["mau-04"]


def _h_finish(d, actor, now, args):
    result_file = original = None
    file_id = args.get("result_file_id")
    if file_id or d.procedure.result_is_document:
        errors = _Errors()
        given = files_for([{"file_id": file_id}], actor, errors, field="result_file_id")
        if errors.fields:
            raise ValidationFailed(
                "Cần tệp kết quả giải quyết.",
                fields={"result_file_id": ["Cần tệp kết quả đã tải lên (PDF)."]},
            )
        original = given[0][1]
        StoredFile.objects.filter(pk=original.pk).update(attached=True)
        # Stamped with its verification QR code and signed with the agency's certificate.
        result_file = result_sealing(d, original, actor, now)
    d.result_file = result_file
    d.assignee = None
    payload = {"result_file": str(result_file.pk) if result_file else None}
    if original is not None and result_file.pk != original.pk:
        payload["signed"] = True
    return _note(args), payload, []


def _h_return_result(d, actor, now, args):
    delivery = args.get("delivery")
    if delivery not in DELIVERIES:
        raise ValidationFailed(fields={"delivery": ["Phải là counter, post hoặc electronic."]})
    d.delivery = delivery
    d.returned_at = now
    return _note(args), {"delivery": delivery}, []


_HANDLERS = {
    "submit": _h_submit,
    "receive": _h_receive,
    "request_supplement": _h_request_supplement,
    "supplement": _h_supplement,
    "refuse": _h_refuse,
    "forward": _h_forward,
    "send_back": _h_send_back,
    "transfer": _h_transfer,
    "request_payment": _h_request_payment,
    "record_payment": _h_record_payment,
    "apologize": _h_apologize,
    "stop": _h_stop,
    "finish": _h_finish,
    "return_result": _h_return_result,
    "withdraw": _h_withdraw,
}
