"""Creating dossiers: online (portal, API, mobile, post; assisted for a citizen) and at the
counter, with the population registry's confirmation of pre-filled answers. A submitted
dossier gets its due time and its first event, then its code, last in the transaction."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Agency, Procedure, Step
from motcua.core import sequences
from motcua.core.errors import Forbidden, ValidationFailed
from motcua.workdays.deadlines import compute_due_at

from .. import assisted
from ..identity import identity_check
from ..models import Channel, Dossier, DossierCodeSequence, DossierComponent, StoredFile
from ..prefill import kept_from_registry
from ..procedures import first_step, published_for
from ..queries import officer_roles
from ..residents import RegistryUnavailable, Resident, population_registry
from ..timeliness import local_date
from .checks import (
    _Errors,
    agency_of,
    check_components,
    check_kind,
    clean_applicant,
    clean_helper,
    files_for,
    published,
    require_confirmed_account,
    validate_form,
)
from .history import append_event
from .workflow import APPLICANT, CREATED, HELPER, RECEPTION


def attach(
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
                **({"reused": True} if item.get("from_vault") else {}),
                **flags,
            )
        )
    if rows:
        DossierComponent.objects.bulk_create(rows)
        StoredFile.objects.filter(pk__in=[s.pk for _, s, _ in given]).update(attached=True)
    return rows


def due_at_for(procedure: Procedure, agency: Agency, received: datetime) -> datetime:
    return compute_due_at(
        received,
        procedure.processing_time_value,
        procedure.processing_time_unit,
        agency.office_hours,
        procedure.cutoff_time,
    )


def assign_code(dossier: Dossier, received: datetime) -> None:
    """`<agency>-YYMMDD-XXXX`, the next number of the agency on the local day of receipt
    (core.sequences: taken last in the submission transaction, gap-free). The head of the
    history goes in the same statement (append_event left it to us)."""
    day = local_date(received)
    dossier.code = sequences.write_next_number(
        DossierCodeSequence,
        {"agency": dossier.agency_id, "day": day},
        into=Dossier,
        pk=dossier.pk,
        field="code",
        prefix=f"{dossier.agency.code}-{day:%y%m%d}-",
        width=4,
        also={"event_count": dossier.event_count, "last_event_hash": dossier.last_event_hash},
    )


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
        procedure = published(procedure_code)
        return procedure, agency_of(procedure, agency_code)
    return found


def _prepare(
    procedure, agency, channel, form, components, owner, errors: _Errors, *, draft
) -> list[tuple]:
    if procedure.channels and channel not in procedure.channels:
        errors.add("channel", "Thủ tục không nhận hồ sơ qua kênh này.")
    if channel == Channel.ONLINE and procedure.online_level == Procedure.OnlineLevel.NONE:
        errors.add("channel", "Thủ tục không được thực hiện trực tuyến.")
    given = files_for(components, owner, errors)
    if not draft:
        validator = getattr(procedure, "form_validator", None)
        validate_form(procedure.form_schema, form, errors, validator=validator)
        check_components(procedure, given, errors)
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
    resident, assistance = _asked_first(applicant_user, on_behalf_of, helper, claimed, draft, now)
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
        who = _who_submits(applicant_user, assistance, applicant, helper, given, errors)
        check_kind(procedure_obj, who.snapshot, errors)
        errors.raise_if_any()
        if assistance is not None and assistance.consent_code_id:
            assisted.use_code(assistance.consent_code_id, now)
        kept = registry_kept(procedure_obj, form, resident, claimed)
        dossier = _create_online(
            procedure_obj,
            agency_obj,
            channel,
            form,
            who,
            fields=claimed if draft else kept,
            identity=identity_check(applicant_user, assistance),
            draft=draft,
            now=now,
        )
        # The answer to the submission lists them without reading them back.
        dossier.new_components = attach(dossier, given, now) + attach(
            dossier, who.consent_given, now, digitised=True
        )
        # The registry entry read for this submission, so that an assisted draft is
        # pre-filled from it rather than read (and logged in the citizen's access log) twice.
        dossier.registry_entry = resident
        if not draft:
            _record_creation(dossier, applicant_user, who.role, "submit", now)
    return dossier


def _asked_first(applicant_user, on_behalf_of, helper, claimed, draft, now) -> tuple:
    """(the registry entry, the assistance): asked before the transaction, since an HTTP
    registry must not hold row locks while it answers."""
    if on_behalf_of is not None:
        assistance = assisted.prepare(applicant_user, on_behalf_of, helper, now=now)
        return assistance.resident, assistance
    if not draft:
        return registry_resident(applicant_user.id_number or "", claimed, user=applicant_user), None
    return None, None


@dataclass
class _Submitter:
    """Who the dossier belongs to and who submitted it (the helper of an assisted one)."""

    owner: object
    snapshot: dict
    helper_snapshot: dict
    helper_user: object | None
    role: str
    consent_given: list[tuple]


def _who_submits(applicant_user, assistance, applicant, helper, given, errors) -> _Submitter:
    if assistance is None:
        return _Submitter(
            owner=applicant_user,
            snapshot=clean_applicant(applicant, errors, user=applicant_user),
            helper_snapshot=clean_helper(helper, errors),
            helper_user=None,
            role=APPLICANT,
            consent_given=[],
        )
    return _Submitter(
        owner=assistance.citizen,
        snapshot=clean_applicant(assistance.applicant_data(applicant), errors),
        helper_snapshot=assistance.snapshot,
        helper_user=applicant_user,
        role=HELPER,
        consent_given=_consent_file(assistance, applicant_user, given, errors),
    )


def _create_online(procedure, agency, channel, form, who, *, fields, identity, draft, now):
    """The dossier row; a draft keeps the claimed registry paths, a submission those the
    registry confirms."""
    return Dossier.objects.create(
        procedure=procedure,
        agency=agency,
        channel=channel,
        applicant=who.snapshot,
        applicant_user=who.owner,
        applicant_id_number=who.snapshot.get("id_number") or who.snapshot.get("tax_code", ""),
        helper=who.helper_snapshot,
        helper_user=who.helper_user,
        form=form if isinstance(form, dict) else {},
        status=CREATED["draft" if draft else "submit"],
        submitted_at=None if draft else now,
        due_at=None if draft else due_at_for(procedure, agency, now),
        registry_fields=fields,
        from_registry=bool(fields) and not draft,
        identity_check=identity,
        created_at=now,
        updated_at=now,
    )


def _record_creation(dossier: Dossier, actor, role: str, action: str, now, documents=()) -> None:
    """A created dossier's first event (submitted, or received at the counter), then its
    code, taken last in the transaction."""
    append_event(
        dossier,
        at=now,
        actor=actor,
        role=role,
        action=action,
        from_status="",
        from_step_id=None,
        payload={"channel": dossier.channel, "due_at": dossier.due_at},
        documents=list(documents),
        first=True,
        write_head=False,
    )
    assign_code(dossier, now)


def _consent_file(assistance, helper, given: list[tuple], errors: _Errors) -> list[tuple]:
    """The scanned signed consent form of an assisted submission, kept with the dossier as
    a component outside the procedure's list."""
    if not assistance.consent_file_id:
        return []
    item = {"file_id": assistance.consent_file_id, "name": assisted.CONSENT_COMPONENT}
    found = files_for([item], helper, errors, field="helper.consent_file_id")
    if found and found[0][1].pk in {stored.pk for _, stored, _ in given}:
        errors.add("helper.consent_file_id", "Tệp đã được dùng cho thành phần hồ sơ khác.")
        return []
    return found


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
        check_kind(procedure_obj, snapshot, errors)
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
            status=CREATED["receive"],
            current_step=first,
            current_agency_id=(first.agency_id if first else None) or agency_obj.pk,
            held_by_id=holder_of(agency_obj.pk, first),
            submitted_at=now,
            received_at=now,
            due_at=due_at_for(procedure_obj, agency_obj, now),
            registry_fields=kept,
            from_registry=bool(kept),
            created_at=now,
            updated_at=now,
        )
        dossier.new_components = attach(dossier, given, now, digitised=True)
        _record_creation(dossier, officer, RECEPTION, "receive", now, documents=["mau-01"])
    return dossier


def holder_of(receiving_agency_id: int, step: Step | None) -> int | None:
    """`Dossier.held_by`: the other agency whose step holds the dossier (liên thông), None
    while the receiving agency holds it (so the inbox index stays small)."""
    if step is not None and step.agency_id and step.agency_id != receiving_agency_id:
        return step.agency_id
    return None
