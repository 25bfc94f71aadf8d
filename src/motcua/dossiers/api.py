"""The dossier API (docs/api.md "Files", "Dossiers", lookup): thin routes over services and
queries. A dossier the caller may not see is 404 on every route, never 403."""

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from motcua.core.api.auth import api_auth
from motcua.core.api.errors import ErrorOut
from motcua.core.api.pagination import Page, PageParams
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.idempotency import idempotent
from motcua.core.ratelimit import check_rate

from . import assisted, queries, services
from .files import store_file
from .hooks import dossier_fees
from .models import Channel, Dossier, Status, StoredFile
from .timeliness import dossier_timeliness

router = Router(tags=["dossiers"])

StatusName = Literal[tuple(Status.values)]
FORMS_URL = "/api/v1/dossiers/{code}/forms/{form}.pdf"


class StoredFileOut(Schema):
    id: str
    name: str
    size: int = Field(description="Bytes.")
    sha256: str
    content_type: str


class DossierComponentIn(Schema):
    spec_id: int | None = Field(None, description="Component spec of the procedure version.")
    file_id: str | None = Field(None, description="Id from POST /files.")
    vault_document_id: int | None = None
    name: str | None = Field(None, description="What the file is, for supplements.")


class DossierApplicantIn(Schema):
    kind: Literal["citizen", "organisation"] = "citizen"
    full_name: str | None = None
    id_number: str | None = Field(None, description="12-digit citizen ID (CCCD).")
    tax_code: str | None = Field(None, description="Organisations: tax code.")
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class DossierHelperIn(Schema):
    """Either an assisted submission (`on_behalf_of` + how the citizen consented; the caller
    is the helper and must be a community digital team member or a reception officer), or
    a note of who helped the applicant on their own account (`full_name`, `consent`)."""

    on_behalf_of: str | None = Field(
        None, description="Assisted submission: the citizen's 12-digit ID number."
    )
    consent_method: Literal["paper", "in_person", "otp"] | None = Field(
        None,
        description="paper: scanned signed form (consent_file_id); in_person: consent given "
        "in the helper's presence; otp: the code POST /assisted/consent-codes sent to the "
        "citizen's phone (consent_code_id + consent_code).",
    )
    consent_file_id: str | None = Field(None, description="paper: id from POST /files.")
    consent_code_id: str | None = None
    consent_code: str | None = None
    consent_note: str | None = Field(None, description="e.g. who witnessed the consent.")
    full_name: str | None = None
    role: str | None = Field(None, description="e.g. community digital team member.")
    organisation: str | None = None
    consent: bool | None = Field(None, description="The applicant agreed to be helped.")


class DossierIn(Schema):
    procedure: str = Field(description="National procedure code, e.g. 1.001193.")
    agency: str = Field(description="Code of the receiving agency.")
    channel: Literal["online", "counter", "post"] = "online"
    form: dict[str, Any] = Field(default_factory=dict, description="E-form answers.")
    components: list[DossierComponentIn] = Field(default_factory=list)
    applicant: DossierApplicantIn | None = Field(
        None, description="Required at the counter; online it completes the account's data."
    )
    helper: DossierHelperIn | None = None
    registry_fields: list[str] = Field(
        default_factory=list,
        description="Dotted paths of `form` pre-filled from the population registry and kept "
        "unchanged (e.g. requester.full_name); those the registry confirms are recorded.",
    )


class ActionIn(Schema):
    action: Literal[tuple(services.ACTIONS)]
    note: str | None = None
    to_step: int | None = Field(None, description="forward, send_back, transfer: a step id.")
    to_agency: str | None = Field(None, description="transfer: the agency code to send to.")
    missing: list[int | str] | None = Field(
        None, description="request_supplement: component spec ids or free text, all at once."
    )
    reason: str | None = Field(None, description="refuse, stop, apologize, withdraw.")
    new_due_at: datetime | None = Field(None, description="apologize: the new appointment.")
    result_file_id: str | None = Field(None, description="finish: the result file.")
    delivery: Literal["counter", "post", "electronic"] | None = None
    amount: int | None = Field(None, description="request_payment, record_payment (đồng).")
    receipt_number: str | None = None
    assignee: int | None = Field(None, description="User id of the officer of the new step.")
    components: list[DossierComponentIn] | None = Field(None, description="supplement: the files.")


class DossierApplicantOut(Schema):
    kind: str
    full_name: str
    id_number: str | None = Field(None, description="Masked except to the applicant and agency.")
    tax_code: str | None = None


class DossierStepRef(Schema):
    id: int
    name: str
    role: str
    agency: str


class OfficerRef(Schema):
    id: int
    full_name: str


class DossierComponentOut(Schema):
    spec_id: int | None
    name: str
    file: StoredFileOut | None
    reused: bool
    from_registry: bool
    digitised: bool
    supplement: bool


class FeeLineOut(Schema):
    name: str
    kind: str
    unit_amount: int
    units: int
    amount: int
    reason: str = Field("", description="Why: online rate, units from the form, exemption.")
    exempt: bool = Field(False, description="Waived (miễn) for this applicant; amount is 0.")


class DossierPaymentOut(Schema):
    amount: int
    receipt_number: str = ""
    at: datetime


class DossierResultOut(Schema):
    file: StoredFileOut | None
    finished_at: datetime | None
    delivery: str = ""
    returned_at: datetime | None = None


class DossierItem(Schema):
    code: str
    procedure: str
    procedure_name: str
    agency: str
    channel: str
    applicant_name: str
    status: StatusName
    status_label: str
    step: str | None
    submitted_at: datetime | None
    due_at: datetime | None
    extended_due_at: datetime | None
    timeliness: Literal["early", "on_time", "overdue", "in_time"]
    paused: bool
    due_soon: bool


class DossierOut(Schema):
    code: str
    procedure: str
    procedure_name: str
    procedure_version: int
    agency: str
    agency_name: str
    channel: Literal["online", "counter", "post"]
    applicant: DossierApplicantOut
    helper: dict[str, Any]
    form: dict[str, Any]
    status: StatusName
    status_label: str
    step: DossierStepRef | None
    assignee: OfficerRef | None
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    extended_due_at: datetime | None
    finished_at: datetime | None
    timeliness: Literal["early", "on_time", "overdue", "in_time"]
    paused: bool
    supplement_requests: int
    from_registry: bool = Field(description="Answers from the population registry were kept.")
    registry_fields: list[str] = Field(description="The form paths taken from the registry.")
    components: list[DossierComponentOut]
    fees_due: int = Field(
        description="What the dossier owes now, in đồng: its procedure's fees for the channel, "
        "form answers and exemptions once they are due (or what an officer asked for), less "
        "what was paid."
    )
    fee_lines: list[FeeLineOut] = Field(description="Why: what makes up `fees_due`.")
    payments: list[DossierPaymentOut]
    result: DossierResultOut | None
    allowed_actions: list[str] = Field(description="Actions the caller may do now.")


class DossierEventOut(Schema):
    seq: int
    at: datetime
    actor: str
    actor_role: str
    action: str
    from_status: str
    to_status: str
    step: str | None
    note: str
    payload: dict[str, Any]
    documents: list[str] = Field(description="URLs of the slips this event issued.")


class DossierLookupOut(Schema):
    code: str
    procedure_name: str
    status: StatusName
    status_label: str
    due_at: datetime | None
    extended_due_at: datetime | None
    timeliness: Literal["early", "on_time", "overdue", "in_time"]


# ------------------------------------------------------------------------------ serialising


def file_out(stored: StoredFile | None) -> dict | None:
    if stored is None:
        return None
    return {
        "id": str(stored.pk),
        "name": stored.name,
        "size": stored.size,
        "sha256": stored.sha256,
        "content_type": stored.content_type,
    }


def local(moment: datetime | None) -> datetime | None:
    """Times go out in local time with their offset (docs/api.md conventions)."""
    return timezone.localtime(moment) if moment else None


def _mask(value: str) -> str:
    return "*" * max(0, len(value) - 3) + value[-3:] if value else value


def _applicant_out(d: Dossier, user) -> dict:
    applicant = d.applicant or {}
    sees_all = (
        queries.is_applicant(user, d)
        or queries.is_helper(user, d)
        or d.agency_id in queries.officer_roles(user)
    )
    id_number = applicant.get("id_number") or None
    return {
        "kind": applicant.get("kind", "citizen"),
        "full_name": applicant.get("full_name", ""),
        "id_number": id_number if sees_all or not id_number else _mask(id_number),
        "tax_code": applicant.get("tax_code") or None,
    }


def _step_ref(d: Dossier) -> dict | None:
    step = d.current_step
    if step is None:
        return None
    agency = d.current_agency or d.agency
    return {"id": step.pk, "name": step.name, "role": step.role, "agency": agency.code}


def dossier_out(d: Dossier, user, now: datetime | None = None, *, fresh=False) -> dict:
    """`fresh`: just created, so no payments yet and the components are those the services
    attached (saves queries on the hot path)."""
    now = now or timezone.now()
    if fresh and hasattr(d, "new_components"):
        components = d.new_components
    else:
        components = d.components.select_related("file").order_by("id")
    fees = dossier_fees()
    paid = [] if fresh else fees.paid(d)
    owed = fees.owed(d, nothing_paid=fresh)
    result = None
    if d.status in (Status.RESULT_READY, Status.RETURNED):
        result = {
            "file": file_out(d.result_file),
            "finished_at": local(d.finished_at),
            "delivery": d.delivery,
            "returned_at": local(d.returned_at),
        }
    return {
        "code": d.code or "",
        "procedure": d.procedure.code,
        "procedure_name": d.procedure.name,
        "procedure_version": d.procedure.version,
        "agency": d.agency.code,
        "agency_name": d.agency.name,
        "channel": d.channel,
        "applicant": _applicant_out(d, user),
        "helper": d.helper or {},
        "form": d.form or {},
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "step": _step_ref(d),
        "assignee": (
            {"id": d.assignee.pk, "full_name": d.assignee.full_name or d.assignee.username}
            if d.assignee
            else None
        ),
        "submitted_at": local(d.submitted_at),
        "received_at": local(d.received_at),
        "due_at": local(d.due_at),
        "extended_due_at": local(d.extended_due_at),
        "finished_at": local(d.finished_at),
        "timeliness": dossier_timeliness(d, now),
        "paused": d.paused,
        "supplement_requests": d.supplement_requests,
        "from_registry": d.from_registry,
        "registry_fields": d.registry_fields or [],
        "components": [
            {
                "spec_id": c.spec_id,
                "name": c.name,
                "file": file_out(c.file),
                "reused": c.reused,
                "from_registry": c.from_registry,
                "digitised": c.digitised,
                "supplement": c.supplement,
            }
            for c in components
        ],
        "fees_due": owed.total,
        "fee_lines": owed.lines,
        "payments": [{**item, "at": local(item["at"])} for item in paid],
        "result": result,
        "allowed_actions": services.allowed_actions(d, user, now),
    }


def dossier_item(d: Dossier, now: datetime) -> dict:
    return {
        "code": d.code or "",
        "procedure": d.procedure.code,
        "procedure_name": d.procedure.name,
        "agency": d.agency.code,
        "channel": d.channel,
        "applicant_name": (d.applicant or {}).get("full_name", ""),
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "step": d.current_step.name if d.current_step else None,
        "submitted_at": local(d.submitted_at),
        "due_at": local(d.due_at),
        "extended_due_at": local(d.extended_due_at),
        "timeliness": dossier_timeliness(d, now),
        "paused": d.paused,
        "due_soon": d.due_soon,
    }


# ----------------------------------------------------------------------------------- routes


@router.post(
    "/files",
    auth=api_auth,
    response={201: StoredFileOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut},
    summary="Upload a file (PDF, JPEG, PNG, DOCX, XLSX), checked by its content",
)
def upload_file(request, file: File[UploadedFile]):
    def create():
        stored = store_file(file, file.name or "", request.auth)
        return 201, file_out(stored)

    return idempotent(request, "files", create)


@router.post(
    "/dossiers",
    auth=api_auth,
    response={201: DossierOut, 403: ErrorOut, 422: ErrorOut},
    summary="Submit a dossier (online; for a citizen with `helper.on_behalf_of`), or receive "
    "one at the counter (reception officer)",
)
def create_dossier(request, payload: DossierIn):
    data = payload.dict()
    components = [
        {k: v for k, v in c.items() if v is not None} for c in data.get("components") or []
    ]
    helper = {k: v for k, v in (data.get("helper") or {}).items() if v is not None}
    on_behalf_of = helper.pop("on_behalf_of", None)

    def create():
        at_counter = payload.channel == Channel.COUNTER or (
            payload.channel == Channel.POST and queries.officer_roles(request.auth)
        )
        if on_behalf_of is not None and at_counter:
            raise ValidationFailed(
                fields={"helper.on_behalf_of": ["Chỉ dùng khi nộp hồ sơ trực tuyến hộ công dân."]}
            )
        if at_counter:
            dossier = services.receive_at_counter(
                officer=request.auth,
                procedure=payload.procedure,
                agency=payload.agency,
                applicant=data.get("applicant") or {},
                form=payload.form,
                components=components,
                helper=helper or None,
                channel=payload.channel,
                registry_fields=payload.registry_fields,
            )
        else:
            dossier = services.submit_online(
                applicant_user=request.auth,
                procedure=payload.procedure,
                agency=payload.agency,
                form=payload.form,
                components=components,
                applicant=data.get("applicant"),
                helper=helper or None,
                channel=payload.channel,
                registry_fields=payload.registry_fields,
                on_behalf_of=on_behalf_of,
            )
        return 201, dossier_out(dossier, request.auth, fresh=True)

    return idempotent(request, "dossiers", create)


class ConsentCodeIn(Schema):
    on_behalf_of: str = Field(description="The citizen's 12-digit ID number.")
    phone: str | None = Field(
        None, description="The citizen's phone, when they have no account with one."
    )


class ConsentCodeOut(Schema):
    id: str = Field(description="consent_code_id for POST /dossiers.")
    phone: str = Field(description="Where the code went, masked.")
    expires_at: datetime


CONSENT_CODE_LIMIT = 5  # codes per client per minute


@router.post(
    "/assisted/consent-codes",
    auth=api_auth,
    response={201: ConsentCodeOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="Assisted submission: send the citizen a one-time code to give their consent",
)
def create_consent_code(request, payload: ConsentCodeIn):
    def create():
        check_rate(request, "consent_code", CONSENT_CODE_LIMIT, 60)
        row = assisted.request_consent_code(
            request.auth, payload.on_behalf_of, phone=payload.phone or ""
        )
        return 201, {
            "id": str(row.pk),
            "phone": assisted.masked_phone(row),
            "expires_at": local(row.expires_at),
        }

    return idempotent(request, "consent_codes", create)


@router.get(
    "/dossiers",
    auth=api_auth,
    response=Page[DossierItem],
    summary="The caller's dossiers (applicant) or their agencies' (officer), newest first",
)
def list_dossiers(
    request,
    params: Query[PageParams],
    status: StatusName | None = None,
    procedure: str | None = None,
    overdue: bool | None = None,
):
    size = min(params.page_size, settings.API_PAGE_SIZE_MAX)
    rows, total = queries.inbox_page(
        request.auth,
        page=params.page,
        size=size,
        status=status,
        procedure=procedure,
        overdue=overdue,
    )
    now = timezone.now()
    return {
        "items": [dossier_item(d, now) for d in rows],
        "total": total,
        "page": params.page,
        "page_size": size,
    }


@router.get(
    "/dossiers/{code}",
    auth=api_auth,
    response={200: DossierOut, 404: ErrorOut},
    summary="One dossier, with the actions the caller may do now",
)
def get_dossier(request, code: str):
    dossier = queries.dossier_for(request.auth, code)
    queries.record_officer_read(request.auth, dossier, "Xem hồ sơ")
    return dossier_out(dossier, request.auth)


@router.get(
    "/dossiers/{code}/events",
    auth=api_auth,
    response={200: list[DossierEventOut], 404: ErrorOut},
    summary="The dossier's history, oldest first",
)
def dossier_events(request, code: str):
    dossier = queries.dossier_for(request.auth, code)
    queries.record_officer_read(request.auth, dossier, "Xem nhật ký xử lý hồ sơ")
    return [
        {
            "seq": e.seq,
            "at": local(e.at),
            "actor": e.actor_name,
            "actor_role": e.actor_role,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "step": e.to_step.name if e.to_step else None,
            "note": e.note,
            "payload": e.payload,
            "documents": [FORMS_URL.format(code=dossier.code, form=f) for f in e.documents],
        }
        for e in queries.events_of(dossier)
    ]


@router.post(
    "/dossiers/{code}/actions",
    auth=api_auth,
    response={200: DossierOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Do an action of the dossier's life cycle (409 when not allowed now)",
)
def dossier_action(request, code: str, payload: ActionIn):
    queries.dossier_for(request.auth, code)  # 404 before anything else
    args = payload.dict(exclude={"action"})
    if args.get("components") is not None:
        args["components"] = [
            {k: v for k, v in c.items() if v is not None} for c in args["components"]
        ]
    done = services.perform(code, payload.action, request.auth, **args)
    # Not re-checked: after a transfer the sending agency no longer holds the dossier, yet
    # its officer gets the outcome of what they just did.
    return dossier_out(queries.with_related(Dossier.objects).get(pk=done.pk), request.auth)


@router.get(
    "/lookup",
    response={200: DossierLookupOut, 404: ErrorOut, 429: ErrorOut},
    summary="Public status lookup with the dossier code and the applicant's ID number",
)
def lookup(request, code: str, id_number: str):
    check_rate(request, queries.LOOKUP_SCOPE, queries.LOOKUP_LIMIT, 60)
    dossier = queries.lookup(code, id_number)
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập.")
    return {
        "code": dossier.code,
        "procedure_name": dossier.procedure.name,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "due_at": local(dossier.due_at),
        "extended_due_at": local(dossier.extended_due_at),
        "timeliness": dossier_timeliness(dossier, timezone.now()),
    }
