"""The dossier state machine (domain.md, "Dossier life cycle"): the only door through which a
dossier changes.

- `submit_online` and `receive_at_counter` create dossiers;
- `perform(dossier, action, actor, **args)` does every other action, allowed or refused by the
  one table `TRANSITIONS` (status x action -> who may do it, and the status it leads to).

Each call locks the dossier row, changes it and appends its hash-chained `Event` in one
transaction; a refused action raises `ActionNotAllowed` (409) and changes nothing. Every
service takes an explicit `now` so that history can be replayed (demo data, tests).
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_noop

from motcua.accounts.queries import is_confirmed
from motcua.catalog.models import Agency, OfficerRole, Procedure, Step
from motcua.core import counters, ids
from motcua.core.errors import (
    AccountNotConfirmed,
    ActionNotAllowed,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from motcua.workdays.deadlines import (
    add_working_time,
    compute_due_at,
    office_day_hours,
    working_hours_between,
)

from . import assisted
from .hooks import dossier_fees, event_appended
from .identity import identity_check
from .models import (
    ENDED,
    OPEN,
    Channel,
    Dossier,
    DossierCodeCounter,
    DossierComponent,
    Event,
    Status,
    StoredFile,
    Timeliness,
    canonical_json,
)
from .prefill import kept_from_registry
from .procedures import compile_validator, first_step, published_for
from .queries import can_see, is_applicant, is_helper, officer_roles
from .residents import RegistryUnavailable, Resident, population_registry
from .timeliness import dossier_timeliness, local_date

GENESIS = "0" * 64

APPLICANT = "applicant"
HELPER = "helper"  # who submitted for the applicant (assisted submission)
# What the helper of an assisted submission may do for the applicant: submit the draft and
# answer a supplement request; withdrawing stays the applicant's own decision.
HELPER_ACTIONS = frozenset({"submit", "supplement"})
RECEPTION = OfficerRole.Role.RECEPTION.value
SPECIALIST = OfficerRole.Role.SPECIALIST.value
HEAD = OfficerRole.Role.HEAD.value
LEADER = OfficerRole.Role.LEADER.value
STEP = "step"  # whoever holds the role of the dossier's current step, at that step's agency


@dataclass(frozen=True)
class Rule:
    to_status: str | None  # None: back to where the dossier was before the pause
    who: tuple[str, ...]


S = Status
# The whole state machine: (status, action) -> who may act and where the dossier goes.
# Anything missing from this table is refused with 409 action_not_allowed.
TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, "submit"): Rule(S.SUBMITTED, (APPLICANT,)),
    (S.SUBMITTED, "receive"): Rule(S.PROCESSING, (RECEPTION,)),
    (S.SUBMITTED, "request_supplement"): Rule(S.AWAITING_SUPPLEMENT, (RECEPTION,)),
    (S.SUBMITTED, "refuse"): Rule(S.REFUSED, (RECEPTION, LEADER)),
    (S.SUBMITTED, "withdraw"): Rule(S.WITHDRAWN, (APPLICANT,)),
    # Paid at submission: kept in the history, the dossier still awaits reception.
    (S.SUBMITTED, "record_payment"): Rule(S.SUBMITTED, (RECEPTION,)),
    (S.PROCESSING, "request_supplement"): Rule(S.AWAITING_SUPPLEMENT, (RECEPTION, SPECIALIST)),
    (S.PROCESSING, "refuse"): Rule(S.REFUSED, (RECEPTION, LEADER)),
    (S.PROCESSING, "forward"): Rule(S.PROCESSING, (STEP,)),
    (S.PROCESSING, "send_back"): Rule(S.PROCESSING, (STEP,)),
    (S.PROCESSING, "transfer"): Rule(S.PROCESSING, (STEP,)),
    (S.PROCESSING, "request_payment"): Rule(S.AWAITING_PAYMENT, (RECEPTION, SPECIALIST)),
    (S.PROCESSING, "apologize"): Rule(S.PROCESSING, (SPECIALIST, HEAD, LEADER)),
    (S.PROCESSING, "stop"): Rule(S.STOPPED, (HEAD, LEADER)),
    (S.PROCESSING, "finish"): Rule(S.RESULT_READY, (LEADER,)),
    (S.PROCESSING, "withdraw"): Rule(S.WITHDRAWN, (APPLICANT,)),
    (S.PROCESSING, "record_payment"): Rule(S.PROCESSING, (RECEPTION,)),
    (S.AWAITING_SUPPLEMENT, "supplement"): Rule(None, (APPLICANT, RECEPTION)),
    (S.AWAITING_SUPPLEMENT, "refuse"): Rule(S.REFUSED, (RECEPTION, LEADER)),
    (S.AWAITING_SUPPLEMENT, "stop"): Rule(S.STOPPED, (HEAD, LEADER)),
    (S.AWAITING_SUPPLEMENT, "withdraw"): Rule(S.WITHDRAWN, (APPLICANT,)),
    (S.AWAITING_PAYMENT, "record_payment"): Rule(S.PROCESSING, (RECEPTION,)),
    (S.AWAITING_PAYMENT, "apologize"): Rule(S.AWAITING_PAYMENT, (SPECIALIST, HEAD, LEADER)),
    (S.AWAITING_PAYMENT, "stop"): Rule(S.STOPPED, (HEAD, LEADER)),
    (S.AWAITING_PAYMENT, "withdraw"): Rule(S.WITHDRAWN, (APPLICANT,)),
    (S.RESULT_READY, "record_payment"): Rule(S.RESULT_READY, (RECEPTION,)),
    (S.RESULT_READY, "return_result"): Rule(S.RETURNED, (RECEPTION,)),
}
ACTIONS = tuple(sorted({action for _, action in TRANSITIONS} | {"submit", "receive"}))
# Done by the receiving agency's counter even while another agency holds the dossier.
RECEIVING_AGENCY_ACTIONS = frozenset({"receive", "record_payment", "return_result"})
DELIVERIES = ("counter", "post", "electronic")
# From submission until the result is returned: when a dossier may owe money and be paid.
PAYABLE = OPEN | {S.RESULT_READY}


# ------------------------------------------------------------------------------ who may act


def _step_agency_id(dossier: Dossier, step: Step | None) -> int:
    return (step.agency_id if step and step.agency_id else None) or dossier.agency_id


def role_for(dossier: Dossier, action: str, actor) -> str | None:
    """The role in which `actor` may do `action` on `dossier` now, or None."""
    rule = TRANSITIONS.get((dossier.status, action))
    if rule is None or actor is None or not actor.is_authenticated:
        return None
    agency_id = (
        dossier.agency_id if action in RECEIVING_AGENCY_ACTIONS else dossier.acting_agency_id
    )
    held = officer_roles(actor).get(agency_id, frozenset())
    for who in rule.who:
        if who == APPLICANT and is_applicant(actor, dossier):
            return APPLICANT
        if (
            who == APPLICANT
            and action in HELPER_ACTIONS
            and is_helper(actor, dossier)
            # One who no longer may assist (left the team, lost the role) keeps sight of
            # what they submitted but acts on it no more.
            and assisted.can_assist(actor)
        ):
            return HELPER
        if who == STEP and dossier.current_step is not None:
            if dossier.current_step.role in held:
                return dossier.current_step.role
        elif who in held:
            return who
    return None


def _guard(
    dossier: Dossier, action: str, now: datetime, args: dict | None = None
) -> ActionNotAllowed | None:
    """Why an action the table allows cannot happen now (None: it can)."""
    if action == "apologize" and now >= (dossier.extended_due_at or dossier.due_at):
        return ActionNotAllowed("Văn bản xin lỗi phải được ban hành trước thời hạn trả kết quả.")
    if action in _NO_STEP and not candidate_steps(dossier, action):
        return ActionNotAllowed(_NO_STEP[action])
    if (
        action == "record_payment"
        and dossier.status != S.AWAITING_PAYMENT
        and not (args or {}).get("payment")
    ):
        # Outside a request for payment, money is recorded with the payment and its receipt.
        return ActionNotAllowed(
            "Chỉ ghi nhận thanh toán kèm khoản thu và biên lai (mục Phí, lệ phí).",
            code="payment_required",
        )
    if action == "return_result" and (owed := dossier_fees().owed(dossier).total) > 0:
        return ActionNotAllowed(
            f"Hồ sơ còn nợ {owed:,} đồng phí, lệ phí: chỉ trả kết quả sau khi đã nộp đủ.".replace(
                ",", "."
            ),
            code="payment_due",
        )
    return None


_NO_STEP = {
    "forward": "Hồ sơ đang ở bước cuối của quy trình tại cơ quan.",
    "send_back": "Hồ sơ đang ở bước đầu của quy trình tại cơ quan.",
    "transfer": "Quy trình không có bước liên thông với cơ quan khác.",
}


def allowed_actions(dossier: Dossier, actor, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    return [
        action
        for (status, action) in TRANSITIONS
        if status == dossier.status
        and role_for(dossier, action, actor)
        and _guard(dossier, action, now) is None
    ]


def may_be_paid(dossier: Dossier) -> bool:
    """Whether the dossier may owe money and be paid now."""
    return dossier.status in PAYABLE


def records_payment(dossier: Dossier) -> bool:
    """Whether a payment made now is recorded in the dossier's history (`record_payment`),
    which moves a dossier waiting for payment back to processing."""
    return (dossier.status, "record_payment") in TRANSITIONS


# ---------------------------------------------------------------------------- the history


def _actor_name(actor) -> str:
    if actor is None:
        return ""
    return (getattr(actor, "full_name", "") or actor.get_username())[:200]


def append_event(
    dossier: Dossier,
    *,
    at: datetime,
    actor,
    role: str,
    action: str,
    from_status: str,
    from_step_id: int | None,
    note: str = "",
    payload: dict | None = None,
    documents: list[str] | None = None,
    first: bool = False,
) -> Event:
    """Append to the dossier's chain. The caller holds the dossier's row lock (or has just
    created it), so the previous event cannot change under us."""
    # `first`: the dossier was created in this transaction, so its chain is empty.
    last = (
        None
        if first
        else Event.objects.filter(dossier=dossier)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event = Event(
        dossier=dossier,
        seq=seq,
        at=at,
        actor=actor,
        actor_name=_actor_name(actor),
        actor_role=role,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        from_step_id=from_step_id,
        to_step_id=dossier.current_step_id,
        note=note or "",
        payload=_json_safe(payload or {}),
        documents=list(documents or []),
        prev_hash=prev_hash,
    )
    event.hash = event.compute_hash()
    event.save()
    event_appended.send(sender=Event, event=event)
    return event


def _json_safe(value):
    """What the JSON column gives back, so that the hash computed now matches a re-read."""
    return json.loads(canonical_json(value))


def verify_chain(dossier_id: int) -> tuple[bool, str]:
    """Check one dossier's chain: (True, "") or (False, a description of the first break)."""
    prev_hash = GENESIS
    expected_seq = 1
    for event in Event.objects.filter(dossier_id=dossier_id).order_by("seq").iterator():
        where = f"hồ sơ #{dossier_id}, sự kiện số {event.seq} (id {event.pk})"
        if event.seq != expected_seq:
            return False, f"{where}: thiếu sự kiện số {expected_seq}"
        if event.prev_hash != prev_hash:
            return False, f"{where}: prev_hash không khớp với sự kiện trước"
        if event.compute_hash() != event.hash:
            return False, f"{where}: nội dung đã bị sửa (hash không khớp)"
        prev_hash = event.hash
        expected_seq += 1
    return True, ""


# ----------------------------------------------------------------------------- submission


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self, message: str = "Hồ sơ chưa hợp lệ.") -> None:
        if self.fields:
            raise ValidationFailed(message, fields=self.fields)


# Marked for the catalog: the API answers in Vietnamese, the portal shows them translated.
_SCHEMA_MESSAGES = {
    "required": gettext_noop("Bắt buộc nhập."),
    "type": gettext_noop("Sai kiểu dữ liệu."),
    "enum": gettext_noop("Giá trị không nằm trong danh sách cho phép."),
    "const": gettext_noop("Giá trị không hợp lệ."),
    "minLength": gettext_noop("Quá ngắn."),
    "maxLength": gettext_noop("Quá dài."),
    "pattern": gettext_noop("Không đúng định dạng."),
    "format": gettext_noop("Không đúng định dạng."),
    "minimum": gettext_noop("Giá trị quá nhỏ."),
    "exclusiveMinimum": gettext_noop("Giá trị quá nhỏ."),
    "maximum": gettext_noop("Giá trị quá lớn."),
    "exclusiveMaximum": gettext_noop("Giá trị quá lớn."),
    "minItems": gettext_noop("Chưa đủ số mục."),
    "maxItems": gettext_noop("Quá nhiều mục."),
    "additionalProperties": gettext_noop("Có trường không được khai báo."),
}


def validate_form(schema: dict, form, errors: _Errors, *, validator=None) -> None:
    """The e-form against the procedure's JSON Schema; one Vietnamese message per field.
    `validator`: the schema's compiled validator when the caller keeps one."""
    if not isinstance(form, dict):
        errors.add("form", "Tờ khai phải là một đối tượng JSON.")
        return
    if not schema:
        return
    validator = validator or compile_validator(schema)
    for error in validator.iter_errors(form):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            path.append(missing)
        field = ".".join(["form", *[p for p in path if p]])
        message = _SCHEMA_MESSAGES.get(error.validator, gettext_noop("Giá trị không hợp lệ."))
        if message not in errors.fields.get(field, []):
            errors.add(field, message)


def clean_applicant(data, errors: _Errors, *, user=None) -> dict:
    """The applicant snapshot. A signed-in citizen's name and ID number come from the
    account, not from what the request says."""
    data = data if isinstance(data, dict) else {}
    kind = data.get("kind") or "citizen"
    if kind not in ("citizen", "organisation"):
        errors.add("applicant.kind", "Phải là citizen hoặc organisation.")
        kind = "citizen"
    snapshot = {"kind": kind}

    def text(key: str, max_length: int = 200) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            errors.add(f"applicant.{key}", "Phải là chuỗi ký tự.")
            return ""
        value = value.strip()
        if len(value) > max_length:
            errors.add(f"applicant.{key}", f"Tối đa {max_length} ký tự.")
        return value

    full_name = text("full_name")
    id_number = text("id_number", 12)
    if user is not None and kind == "citizen":
        full_name = user.full_name or full_name or user.get_username()
        id_number = user.id_number or id_number
    if not full_name:
        errors.add("applicant.full_name", "Bắt buộc nhập.")
    snapshot["full_name"] = full_name
    if kind == "citizen":
        if not ids.is_id_number(id_number):
            errors.add("applicant.id_number", str(ids.ID_NUMBER_MESSAGE))
        snapshot["id_number"] = id_number
    else:
        tax_code = text("tax_code", 14)
        if not ids.is_tax_code(tax_code):
            errors.add("applicant.tax_code", str(ids.TAX_CODE_MESSAGE))
        snapshot["tax_code"] = tax_code
        if user is not None:
            snapshot["representative"] = user.full_name or user.get_username()
        else:  # at the counter: the person who brought the organisation's dossier
            snapshot["representative"] = text("representative")
    phone = ids.normalise_phone(text("phone", 20)) or (getattr(user, "phone", "") if user else "")
    if phone and not ids.is_phone(phone):
        errors.add("applicant.phone", "Số điện thoại không hợp lệ.")
    email = text("email", 254) or (getattr(user, "email", "") if user else "")
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors.add("applicant.email", "Địa chỉ thư điện tử không hợp lệ.")
    snapshot.update(phone=phone, email=email, address=text("address", 300))
    return snapshot


def clean_helper(data, errors: _Errors) -> dict:
    if not data:
        return {}
    if not isinstance(data, dict):
        errors.add("helper", "Phải là một đối tượng JSON.")
        return {}
    name = data.get("full_name")
    if not isinstance(name, str) or not name.strip():
        errors.add("helper.full_name", "Bắt buộc nhập.")
    if data.get("consent") is not True:
        errors.add("helper.consent", "Cần có sự đồng ý của người nộp hồ sơ.")
    return {
        "full_name": (name or "").strip() if isinstance(name, str) else "",
        "role": str(data.get("role") or "")[:100],
        "organisation": str(data.get("organisation") or "")[:200],
        "consent": data.get("consent") is True,
    }


def _published(procedure_code) -> Procedure:
    procedure = (
        Procedure.objects.filter(code=procedure_code, status=Procedure.Status.PUBLISHED)
        .prefetch_related("components", "agencies")
        .first()
    )
    if procedure is None:
        raise ValidationFailed(
            "Thủ tục không tồn tại hoặc không còn áp dụng.",
            fields={"procedure": ["Thủ tục không tồn tại hoặc không còn áp dụng."]},
        )
    return procedure


def _agency_of(procedure: Procedure, agency_code) -> Agency:
    for agency in procedure.agencies.all():
        if agency.code == agency_code and agency.is_active:
            return agency
    raise ValidationFailed(
        "Cơ quan này không thực hiện thủ tục.",
        fields={"agency": ["Cơ quan này không thực hiện thủ tục."]},
    )


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _files_for(components, owner, errors: _Errors, field: str = "components") -> list[tuple]:
    """[(spec_id, StoredFile, item)] from `[{spec_id, file_id, ...}]`: the owner's own
    uploads, not yet attached anywhere (locked so two dossiers cannot take the same file)."""
    if components is None:
        return []
    if not isinstance(components, list):
        errors.add(field, "Phải là một danh sách.")
        return []
    wanted: dict[int, uuid.UUID] = {}
    for index, item in enumerate(components):
        if not isinstance(item, dict):
            errors.add(f"{field}.{index}", "Phải là một đối tượng JSON.")
        elif item.get("vault_document_id"):
            # The vault does not exist yet: a clear refusal of its own, not a field slip.
            raise ValidationFailed(
                "Chưa thể lấy giấy tờ từ kho dữ liệu cá nhân; hãy tải tệp lên.",
                code="vault_unavailable",
                fields={f"{field}.{index}.vault_document_id": ["Kho dữ liệu chưa sẵn sàng."]},
            )
        elif (file_id := _uuid_or_none(item.get("file_id"))) is None:
            errors.add(f"{field}.{index}.file_id", "Bắt buộc chọn tệp đã tải lên.")
        else:
            wanted[index] = file_id
    found = {}
    if wanted:
        found = {
            f.pk: f
            for f in StoredFile.objects.select_for_update().filter(
                pk__in=set(wanted.values()), owner=owner
            )
        }
    result = []
    for index, file_id in wanted.items():
        stored = found.get(file_id)
        if stored is None:
            errors.add(f"{field}.{index}.file_id", "Không tìm thấy tệp đã tải lên.")
        elif stored.attached or file_id in {s.pk for _, s, _ in result}:
            errors.add(f"{field}.{index}.file_id", "Tệp đã được dùng cho hồ sơ khác.")
        else:
            result.append((components[index].get("spec_id"), stored, components[index]))
    return result


def _check_components(procedure: Procedure, given: list[tuple], errors: _Errors) -> None:
    specs = {spec.pk: spec for spec in procedure.components.all()}
    present = set()
    for index, (spec_id, _stored, _item) in enumerate(given):
        if spec_id not in specs:
            errors.add(f"components.{index}.spec_id", "Không thuộc thành phần hồ sơ của thủ tục.")
        present.add(spec_id)
    for spec in specs.values():
        if spec.required and spec.pk not in present:
            errors.add("components", f"Thiếu thành phần hồ sơ bắt buộc: {spec.name}.")


def _attach(
    dossier: Dossier, given: list[tuple], now: datetime, *, digitised=False, **flags
) -> list[DossierComponent]:
    specs = {spec.pk: spec for spec in dossier.procedure.components.all()}
    rows = []
    for spec_id, stored, item in given:
        spec = specs.get(spec_id)
        name = spec.name if spec else str(item.get("name") or stored.name)[:500]
        rows.append(
            DossierComponent(
                dossier=dossier,
                spec=spec,
                name=name,
                file=stored,
                digitised=digitised,
                added_at=now,
                **flags,
            )
        )
    if rows:
        DossierComponent.objects.bulk_create(rows)
        StoredFile.objects.filter(pk__in=[s.pk for _, s, _ in given]).update(attached=True)
    return rows


def _due_at(procedure: Procedure, agency: Agency, received: datetime) -> datetime:
    return compute_due_at(
        received,
        procedure.processing_time_value,
        procedure.processing_time_unit,
        agency.office_hours,
        procedure.cutoff_time,
    )


def _assign_code(dossier: Dossier, received: datetime) -> None:
    """`<agency>-YYMMDD-XXXX`, the next number of the agency on the local day of receipt
    (core.counters: taken last in the submission transaction, gap-free)."""
    day = local_date(received)
    dossier.code = counters.write_next_number(
        DossierCodeCounter,
        {"agency": dossier.agency_id, "day": day},
        into=Dossier,
        pk=dossier.pk,
        field="code",
        prefix=f"{dossier.agency.code}-{day:%y%m%d}-",
        width=4,
    )


# ------------------------------------------------------------------ population registry use

REGISTRY_CHECK_PURPOSE = "Đối chiếu dữ liệu điền sẵn khi nộp hồ sơ"
MAX_REGISTRY_FIELDS = 500


def clean_registry_fields(value) -> list[str]:
    """The dotted paths an applicant says were pre-filled from the registry and kept."""
    if value is None:
        return []
    if not isinstance(value, list | tuple) or len(value) > MAX_REGISTRY_FIELDS:
        raise ValidationFailed(
            fields={"registry_fields": ["Phải là danh sách đường dẫn trường của tờ khai."]}
        )
    if not all(isinstance(path, str) and 0 < len(path) <= 200 for path in value):
        raise ValidationFailed(
            fields={
                "registry_fields": ["Mỗi mục phải là đường dẫn trường, ví dụ requester.full_name."]
            }
        )
    return sorted(set(value))


def registry_resident(id_number: str, claimed: list[str], *, user) -> Resident | None:
    """The resident whose data was pre-filled, to check the claimed fields against; None
    when nothing is claimed or the registry cannot answer now (then nothing counts: the
    submission itself never waits on the registry's health)."""
    if not claimed or not id_number:
        return None
    try:
        return population_registry().lookup(id_number, user=user, purpose=REGISTRY_CHECK_PURPOSE)
    except RegistryUnavailable:
        return None


def registry_kept(procedure: Procedure, form, resident: Resident | None, claimed) -> list[str]:
    """The claimed paths whose answers still equal the registry's (indicator 5.6 counts
    dossiers with at least one)."""
    if not claimed or not isinstance(form, dict):
        return []
    return kept_from_registry(procedure.form_schema, form, resident, claimed)


def _published_at(procedure_code, agency_code) -> tuple[Procedure, Agency]:
    """The published procedure and the agency doing it (one query when this process keeps
    the version), else the 422 that says which is wrong."""
    found = published_for(procedure_code, agency_code)
    if found is None:
        procedure = _published(procedure_code)
        return procedure, _agency_of(procedure, agency_code)
    return found


def _prepare(
    procedure, agency, channel, form, components, owner, errors: _Errors, *, draft
) -> list[tuple]:
    if procedure.channels and channel not in procedure.channels:
        errors.add("channel", "Thủ tục không nhận hồ sơ qua kênh này.")
    if channel == Channel.ONLINE and procedure.online_level == Procedure.OnlineLevel.NONE:
        errors.add("channel", "Thủ tục không được thực hiện trực tuyến.")
    given = _files_for(components, owner, errors)
    if not draft:
        validator = getattr(procedure, "form_validator", None)
        validate_form(procedure.form_schema, form, errors, validator=validator)
        _check_components(procedure, given, errors)
    return given


def submit_online(
    *,
    applicant_user,
    procedure: str,
    agency: str,
    form: dict,
    components: list | None = None,
    applicant: dict | None = None,
    helper: dict | None = None,
    channel: str = Channel.ONLINE,
    draft: bool = False,
    registry_fields: list[str] | None = None,
    on_behalf_of: str | None = None,
    now: datetime | None = None,
) -> Dossier:
    """A submission by the signed-in `applicant_user` (portal, API, mobile; or by post).
    With `draft`, the dossier is kept unnumbered until `perform(..., "submit")`.

    `registry_fields`: dotted paths of `form` pre-filled from the population registry and
    kept; those still equal to the registry's values are recorded (`Dossier.registry_fields`,
    `from_registry`). A draft keeps the claimed paths and checks them when submitted.

    `on_behalf_of` (a citizen's ID number): an assisted submission (dossiers/assisted.py);
    `applicant_user` is then the helper, `helper` carries the consent
    ({consent_method: paper|in_person|otp, consent_file_id, consent_code_id, consent_code,
    consent_note}), and the dossier belongs to the citizen. Without it, `helper` is the
    free-text note of who helped the applicant on their own account ({full_name, role,
    organisation, consent: true})."""
    now = now or timezone.now()
    if not draft:
        require_confirmed_account(applicant_user)
    if channel not in (Channel.ONLINE, Channel.POST):
        raise ValidationFailed(fields={"channel": ["Phải là online hoặc post."]})
    claimed = clean_registry_fields(registry_fields)
    # Asked before the transaction: an HTTP registry must not hold row locks while it answers.
    resident = assistance = None
    if on_behalf_of is not None:
        assistance = assisted.prepare(applicant_user, on_behalf_of, helper, now=now)
        resident = assistance.resident
    elif not draft:
        resident = registry_resident(applicant_user.id_number or "", claimed, user=applicant_user)
    errors = _Errors()
    with transaction.atomic():
        procedure_obj, agency_obj = _published_at(procedure, agency)
        given = _prepare(
            procedure_obj,
            agency_obj,
            channel,
            form,
            components,
            applicant_user,
            errors,
            draft=draft,
        )
        consent_given = []
        if assistance is not None:
            owner = assistance.citizen
            snapshot = clean_applicant(assistance.applicant_data(applicant), errors)
            helper_snapshot = assistance.snapshot
            consent_given = _consent_file(assistance, applicant_user, given, errors)
        else:
            owner = applicant_user
            snapshot = clean_applicant(applicant, errors, user=applicant_user)
            helper_snapshot = clean_helper(helper, errors)
        _check_kind(procedure_obj, snapshot, errors)
        errors.raise_if_any()
        if assistance is not None and assistance.consent_code_id:
            assisted.use_code(assistance.consent_code_id, now)
        kept = registry_kept(procedure_obj, form, resident, claimed)
        due_at = None if draft else _due_at(procedure_obj, agency_obj, now)
        dossier = Dossier.objects.create(
            procedure=procedure_obj,
            agency=agency_obj,
            channel=channel,
            applicant=snapshot,
            applicant_user=owner,
            applicant_id_number=snapshot.get("id_number") or snapshot.get("tax_code", ""),
            helper=helper_snapshot,
            helper_user=applicant_user if assistance is not None else None,
            form=form if isinstance(form, dict) else {},
            status=Status.DRAFT if draft else Status.SUBMITTED,
            submitted_at=None if draft else now,
            due_at=due_at,
            # A draft keeps what is claimed; a submission what the registry confirms.
            registry_fields=claimed if draft else kept,
            from_registry=bool(kept) and not draft,
            identity_check=identity_check(applicant_user, assistance),
            created_at=now,
            updated_at=now,
        )
        # The answer to the submission lists them without reading them back.
        dossier.new_components = _attach(dossier, given, now) + _attach(
            dossier, consent_given, now, digitised=True
        )
        # The registry entry read for this submission, so that an assisted draft is
        # pre-filled from it rather than read (and logged in the citizen's access log) twice.
        dossier.registry_entry = resident
        if not draft:
            append_event(
                dossier,
                at=now,
                actor=applicant_user,
                role=HELPER if assistance is not None else APPLICANT,
                action="submit",
                from_status="",
                from_step_id=None,
                payload={"channel": channel, "due_at": due_at},
                first=True,
            )
            _assign_code(dossier, now)
    return dossier


def _consent_file(assistance, helper, given: list[tuple], errors: _Errors) -> list[tuple]:
    """The scanned signed consent form of an assisted submission, kept with the dossier as
    a component outside the procedure's list."""
    if not assistance.consent_file_id:
        return []
    item = {"file_id": assistance.consent_file_id, "name": assisted.CONSENT_COMPONENT}
    found = _files_for([item], helper, errors, field="helper.consent_file_id")
    if found and found[0][1].pk in {stored.pk for _, stored, _ in given}:
        errors.add("helper.consent_file_id", "Tệp đã được dùng cho thành phần hồ sơ khác.")
        return []
    return found


def _check_kind(procedure: Procedure, snapshot: dict, errors: _Errors) -> None:
    kinds = procedure.applicant_kinds
    if kinds and snapshot["kind"] not in kinds:
        errors.add("applicant.kind", "Thủ tục không dành cho loại người nộp này.")


def _first_step(procedure: Procedure) -> Step | None:
    return procedure.steps.select_related("agency").order_by("order", "id").first()


def receive_at_counter(
    *,
    officer,
    procedure: str,
    agency: str,
    applicant: dict,
    form: dict,
    components: list | None = None,
    helper: dict | None = None,
    applicant_user=None,
    channel: str = Channel.COUNTER,
    registry_fields: list[str] | None = None,
    now: datetime | None = None,
) -> Dossier:
    """A reception officer takes a paper dossier at the counter (or from the post): the
    applicant is entered, the scanned components are marked digitised, and the dossier is
    received at once at the first step (Mẫu 01). `registry_fields` as in `submit_online`,
    checked against the registry entry of the applicant's ID number."""
    now = now or timezone.now()
    if channel not in (Channel.COUNTER, Channel.POST):
        raise ValidationFailed(fields={"channel": ["Phải là counter hoặc post."]})
    claimed = clean_registry_fields(registry_fields)
    applicant_id = (applicant or {}).get("id_number") if isinstance(applicant, dict) else ""
    resident = registry_resident(str(applicant_id or ""), claimed, user=officer)
    errors = _Errors()
    with transaction.atomic():
        procedure_obj, agency_obj = _published_at(procedure, agency)
        if RECEPTION not in officer_roles(officer).get(agency_obj.pk, ()):
            raise Forbidden("Chỉ cán bộ tiếp nhận của cơ quan mới được tiếp nhận hồ sơ.")
        given = _prepare(
            procedure_obj, agency_obj, channel, form, components, officer, errors, draft=False
        )
        snapshot = clean_applicant(applicant, errors)
        _check_kind(procedure_obj, snapshot, errors)
        helper_snapshot = clean_helper(helper, errors)
        errors.raise_if_any()
        kept = registry_kept(procedure_obj, form, resident, claimed)
        first = first_step(procedure_obj)
        dossier = Dossier.objects.create(
            procedure=procedure_obj,
            agency=agency_obj,
            channel=channel,
            applicant=snapshot,
            applicant_user=applicant_user,
            applicant_id_number=snapshot.get("id_number") or snapshot.get("tax_code", ""),
            helper=helper_snapshot,
            form=form,
            status=Status.PROCESSING,
            current_step=first,
            current_agency_id=(first.agency_id if first else None) or agency_obj.pk,
            held_by_id=_holder(agency_obj.pk, first),
            submitted_at=now,
            received_at=now,
            due_at=_due_at(procedure_obj, agency_obj, now),
            registry_fields=kept,
            from_registry=bool(kept),
            created_at=now,
            updated_at=now,
        )
        dossier.new_components = _attach(dossier, given, now, digitised=True)
        append_event(
            dossier,
            at=now,
            actor=officer,
            role=RECEPTION,
            action="receive",
            from_status="",
            from_step_id=None,
            payload={"channel": channel, "due_at": dossier.due_at},
            documents=["mau-01"],
            first=True,
        )
        _assign_code(dossier, now)
    return dossier


def _holder(receiving_agency_id: int, step: Step | None) -> int | None:
    """`Dossier.held_by`: the other agency whose step holds the dossier (liên thông), None
    while the receiving agency holds it (so the inbox index stays small)."""
    if step is not None and step.agency_id and step.agency_id != receiving_agency_id:
        return step.agency_id
    return None


# -------------------------------------------------------------------------------- actions


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


# Systems that act with no person behind them, and the only actions each may take: the
# payment gateway's signed callback confirms a payment the way the counter records cash.
SYSTEM_ACTIONS = {"payment_gateway": frozenset({"record_payment"})}


def perform(
    dossier, action: str, actor, *, now: datetime | None = None, system: str | None = None, **args
) -> Dossier:
    """Do `action` on the dossier (its code, id or instance) as `actor`, or as a `system`
    of SYSTEM_ACTIONS (then `actor` is None).

    Raises NotFound when the actor may not see the dossier, ActionNotAllowed (409) when the
    table or the moment does not allow the action, ValidationFailed (422) for bad arguments.
    """
    if action not in ACTIONS:
        raise ValidationFailed(fields={"action": [f"Thao tác không tồn tại: {action}."]})
    now = now or timezone.now()
    with transaction.atomic():
        d = _locked(dossier)
        if system is not None:
            allowed = actor is None and action in SYSTEM_ACTIONS.get(system, ())
            role = system if allowed and (d.status, action) in TRANSITIONS else None
        elif not can_see(actor, d):
            raise NotFound("Không tìm thấy hồ sơ.")
        else:
            role = role_for(d, action, actor)
        if role is None:
            raise ActionNotAllowed(
                f"Không thể thực hiện “{action}” khi hồ sơ ở trạng thái “{d.get_status_display()}”."
            )
        refusal = _guard(d, action, now, args)
        if refusal is not None:
            raise refusal
        from_status, from_step_id = d.status, d.current_step_id
        rule = TRANSITIONS[(d.status, action)]
        if rule.to_status is not None:
            d.status = rule.to_status
        note, payload, documents = _HANDLERS[action](d, actor, now, _Args(args))
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
        )
        if action == "submit":
            _assign_code(d, now)
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


def require_confirmed_account(user) -> None:
    """An account opened online submits once its phone or e-mail is confirmed by code (or it
    signed in through the national identity provider); until then it may keep drafts."""
    if user is not None and not is_confirmed(user):
        raise AccountNotConfirmed()


def _h_submit(d, actor, now, args):
    require_confirmed_account(actor)
    errors = _Errors()
    validate_form(d.procedure.form_schema, d.form, errors)
    # Components outside the procedure's list (an assisted submission's consent form) are
    # not the procedure's to check.
    given = [(c.spec_id, c.file, {}) for c in d.components.all() if c.spec_id is not None]
    _check_components(d.procedure, given, errors)
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
    d.due_at = _due_at(d.procedure, d.agency, now)
    return _note(args), {"channel": d.channel, "due_at": d.due_at}, []


def _h_receive(d, actor, now, args):
    first = _first_step(d.procedure)
    d.current_step = first
    d.current_agency_id = _step_agency_id(d, first)
    d.held_by_id = _holder(d.agency_id, first)
    d.received_at = now
    d.assignee = _assignee(args, d, first)
    payload = {}
    # Fees due at submission or before processing and not paid yet: the dossier is
    # received (Mẫu 01, the clock runs) but waits for payment before processing.
    owed = dossier_fees().owed_before_processing(d)
    if owed > 0:
        d.status = Status.AWAITING_PAYMENT
        payload = {"amount": owed}
    return _note(args), payload, ["mau-01"]


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
    given = _files_for(args.get("components") or [], owner, errors)
    errors.raise_if_any()
    hours = working_hours_between(d.paused_at, now, _office_hours(d))
    if hours > 0:
        # The applicant's time never counts against the agency: the appointment moves on.
        d.due_at = add_working_time(d.due_at, hours, d.agency.office_hours)
        if d.extended_due_at:
            d.extended_due_at = add_working_time(d.extended_due_at, hours, d.agency.office_hours)
    d.paused_hours = Decimal(d.paused_hours) + hours
    d.paused_at = None
    d.status = Status.PROCESSING if d.current_step_id else Status.SUBMITTED
    _attach(
        d, given, now, supplement=True, digitised=actor is not None and not is_applicant(actor, d)
    )
    return _note(args), {"paused_hours": hours, "due_at": d.due_at, "files": len(given)}, []


def _office_hours(d: Dossier):
    agency = d.current_agency if d.current_agency_id else d.agency
    return agency.office_hours


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


def _steps(d: Dossier) -> list[Step]:
    cached = getattr(d, "_steps", None)
    if cached is None:
        cached = list(d.procedure.steps.select_related("agency").order_by("order", "id"))
        d._steps = cached
    return cached


def candidate_steps(d: Dossier, action: str) -> list[Step]:
    """Where an action may take the dossier, the default first.

    forward: the next step, when it is at the agency holding the dossier (later steps of that
    agency may be named with `to_step`); send_back: earlier steps of that agency, nearest
    first; transfer (liên thông): steps of other agencies, later ones first.
    """
    steps = _steps(d)
    ids = [s.pk for s in steps]
    if d.current_step_id not in ids:
        return []
    here = ids.index(d.current_step_id)

    def same(step: Step) -> bool:
        return _step_agency_id(d, step) == d.acting_agency_id

    if action == "forward":
        later = steps[here + 1 :]
        return [s for s in later if same(s)] if later and same(later[0]) else []
    if action == "send_back":
        return [s for s in reversed(steps[:here]) if same(s)]
    return [s for s in steps[here + 1 :] if not same(s)] + [s for s in steps[:here] if not same(s)]


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
    d.current_agency_id = _step_agency_id(d, target)
    d.held_by_id = _holder(d.agency_id, target)
    d.assignee = _assignee(args, d, target)
    payload = {"to_step": target.pk, "to_agency": _agency_code(d, target)}
    return _note(args), payload, []


def _agency_code(d: Dossier, step: Step) -> str:
    return step.agency.code if step.agency_id else d.agency.code


def _assignee(args: _Args, d: Dossier, step: Step | None):
    wanted = args.get("assignee")
    if wanted in (None, ""):
        return None
    agency_id = _step_agency_id(d, step)
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
    result_file = None
    file_id = args.get("result_file_id")
    if file_id or d.procedure.result_is_document:
        errors = _Errors()
        given = _files_for([{"file_id": file_id}], actor, errors, field="result_file_id")
        if errors.fields:
            raise ValidationFailed(
                "Cần tệp kết quả giải quyết.",
                fields={"result_file_id": ["Cần tệp kết quả đã tải lên (PDF)."]},
            )
        result_file = given[0][1]
        StoredFile.objects.filter(pk=result_file.pk).update(attached=True)
    d.result_file = result_file
    d.assignee = None
    payload = {"result_file": str(result_file.pk) if result_file else None}
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


# ------------------------------------------------------------------------------- deadlines


def mark_deadlines(now: datetime | None = None) -> dict[str, int]:
    """Flag running dossiers that became overdue and those due within one working day of
    their agency. A cached flag only: no status changes, so no event."""
    now = now or timezone.now()
    running = Dossier.objects.filter(status__in=OPEN, paused_at__isnull=True)
    overdue = (
        running.filter(due_at__lt=now)
        .exclude(timeliness=Timeliness.OVERDUE, due_soon=False)
        .update(timeliness=Timeliness.OVERDUE, due_soon=False)
    )
    due_soon = 0
    for agency in Agency.objects.filter(
        pk__in=running.filter(due_at__gte=now).values("agency_id").distinct()
    ):
        horizon = add_working_time(now, office_day_hours(agency.office_hours), agency.office_hours)
        mine = running.filter(agency=agency, due_at__gte=now)
        due_soon += mine.filter(due_at__lte=horizon, due_soon=False).update(due_soon=True)
        mine.filter(due_at__gt=horizon, due_soon=True).update(due_soon=False)
    return {"overdue": overdue, "due_soon": due_soon}
