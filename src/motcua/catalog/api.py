"""The public catalog API (docs/openapi.json, tag "catalog"): procedures and agencies, no login."""

from datetime import date, datetime
from typing import Literal
from urllib.parse import urljoin

import segno
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from motcua.core.api.errors import ErrorOut
from motcua.core.api.pagination import Page, PageParams, paginate
from motcua.core.errors import NotFound

from . import queries
from .models import Agency, Procedure

router = Router(tags=["catalog"])

OnlineLevel = Literal["full", "partial", "none"]
ProcedureLevel = Literal["central", "province", "commune"]
AgencyLevel = Literal["ministry", "province", "department", "commune"]


class ProcessingTime(Schema):
    value: float = Field(description="Amount of time, in `unit`.")
    unit: Literal["working_days", "working_hours", "in_day"]
    text: str = Field("", description="The processing time as published.")


class ProcedureItem(Schema):
    code: str = Field(description="National procedure number, e.g. 1.001193.")
    version: int
    name: str
    sector: str = Field(description="Sector code.")
    sector_name: str
    level: ProcedureLevel
    online_level: OnlineLevel
    processing_time: ProcessingTime
    fee_total: int = Field(description="Sum of the fees paid at the counter, in đồng.")
    agencies: list[str] = Field(description="Codes of the implementing agencies.")


class ComponentOut(Schema):
    id: int
    name: str
    required: bool
    copies: int
    original_required: bool
    template_name: str
    digitization_required: bool
    note: str


class FeeOut(Schema):
    name: str
    kind: Literal["fee", "charge"]
    amount: int = Field(description="Amount paid at the counter, in đồng.")
    online_amount: int = Field(description="Amount paid when submitting online, in đồng.")
    per_unit_field: str = Field(description="E-form field the amount is multiplied by, if any.")
    exemption_field: str = Field(
        "", description="E-form field whose answer exempts the applicant from this fee, if any."
    )
    exemption_values: list[str | bool] = Field(
        default_factory=list,
        description="Answers that exempt; empty: a yes (true) answer to a yes/no question.",
    )
    exemption_reason: str = Field("", description="Who is exempt and the legal basis.")
    note: str


class LegalBasisOut(Schema):
    number: str
    title: str
    issuer: str
    issued_on: date | None
    effective_on: date | None


class StepOut(Schema):
    order: int
    name: str
    role: str
    agency: str | None = Field(description="Agency code; null means the receiving agency.")
    budget_hours: float = Field(description="Time budget in working hours.")
    inter_agency: bool


class ProcedureDetail(ProcedureItem):
    steps_text: str
    submission_text: str
    channels: list[str]
    applicant_text: str
    applicant_kinds: list[str]
    requirements_text: str
    fee_text: str
    payment_due: str
    cutoff_time: str | None = Field(description="Cut-off time HH:MM for within-the-day work.")
    result_type: str
    result_is_document: bool
    full_process_eligible: bool
    publication_decision: str
    publication_date: date | None
    made_public_at: datetime | None
    components: list[ComponentOut]
    form_schema: dict = Field(description="The e-form as JSON Schema.")
    form_ui: dict
    fees: list[FeeOut]
    legal_basis: list[LegalBasisOut]
    steps: list[StepOut]
    submission_url: str = Field(description="The portal page to submit a dossier online.")
    qr_url: str = Field(description="SVG QR code opening `submission_url` (also `qr.png`).")


class ProcedureFilters(Schema):
    q: str = Field("", max_length=200, description="Words, with or without diacritics.")
    sector: str | None = Field(None, description="Sector code.")
    agency: str | None = Field(None, description="Implementing agency code.")
    level: ProcedureLevel | None = None
    online: OnlineLevel | None = None


class AgencyRef(Schema):
    code: str
    name: str


class AgencyItem(Schema):
    code: str
    name: str
    short_name: str
    level: AgencyLevel
    parent: AgencyRef | None
    unit: AgencyRef | None = Field(description="Administrative unit (province or commune).")
    address: str
    hotline: str
    email: str
    website: str
    office_hours: list[list[str]] = Field(description='Periods of the day, [["08:00","12:00"]].')


class AgencyDetail(AgencyItem):
    children: list[AgencyRef]


class AgencyFilters(Schema):
    level: AgencyLevel | None = None


def _procedure_item(p: Procedure) -> dict:
    return {
        "code": p.code,
        "version": p.version,
        "name": p.name,
        "sector": p.sector.code,
        "sector_name": p.sector.name,
        "level": p.level,
        "online_level": p.online_level,
        "processing_time": {
            "value": float(p.processing_time_value),
            "unit": p.processing_time_unit,
            "text": p.processing_time_text,
        },
        "fee_total": queries.fee_total(p),
        "agencies": sorted(a.code for a in p.agencies.all()),
    }


def submission_url(request, code: str) -> str:
    """Absolute address of the portal page that starts an online dossier for `code`."""
    path = f"/thu-tuc/{code}/nop-ho-so/"
    base = settings.PUBLIC_BASE_URL
    return urljoin(base, path) if base else request.build_absolute_uri(path)


def _procedure_detail(request, p: Procedure) -> dict:
    data = _procedure_item(p)
    qr_path = f"{request.path.rstrip('/')}/qr.svg"
    data |= {
        key: getattr(p, key)
        for key in (
            "steps_text",
            "submission_text",
            "channels",
            "applicant_text",
            "applicant_kinds",
            "requirements_text",
            "fee_text",
            "payment_due",
            "result_type",
            "result_is_document",
            "full_process_eligible",
            "publication_decision",
            "publication_date",
            "form_schema",
            "form_ui",
        )
    }
    data |= {
        "cutoff_time": p.cutoff_time.strftime("%H:%M") if p.cutoff_time else None,
        "made_public_at": timezone.localtime(p.made_public_at) if p.made_public_at else None,
        "components": list(p.components.all()),
        "fees": [
            {
                "name": f.name,
                "kind": f.kind,
                "amount": f.amount,
                "online_amount": f.amount if f.online_amount is None else f.online_amount,
                "per_unit_field": f.per_unit_field,
                "exemption_field": f.exemption_field,
                "exemption_values": list(f.exemption_values),
                "exemption_reason": f.exemption_reason,
                "note": f.note,
            }
            for f in p.fees.all()
        ],
        "legal_basis": list(p.legal_bases.all()),
        "steps": [
            {
                "order": i + 1,
                "name": s.name,
                "role": s.role,
                "agency": s.agency.code if s.agency_id else None,
                "budget_hours": float(s.budget_hours),
                "inter_agency": s.inter_agency,
            }
            for i, s in enumerate(p.steps.all())
        ],
        "submission_url": submission_url(request, p.code),
        "qr_url": request.build_absolute_uri(qr_path),
    }
    return data


def _published_or_404(code: str) -> Procedure:
    procedure = (
        queries.published_procedures()
        .prefetch_related(*queries.PROCEDURE_DICT_PREFETCH)
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise NotFound(f"Không tìm thấy thủ tục mã {code}.")
    return procedure


@router.get(
    "/procedures",
    response={200: Page[ProcedureItem], 422: ErrorOut},
    summary="Search the procedure catalog",
)
def list_procedures(request, filters: Query[ProcedureFilters], page: Query[PageParams]):
    """Published procedures, most relevant first when `q` is given, else by name."""
    rows = queries.ranked_procedures(
        filters.q,
        sector=filters.sector,
        agency=filters.agency,
        level=filters.level,
        online=filters.online,
    )
    result = paginate(rows, page, lambda p: p)
    # Two queries for the whole page, whatever its size.
    prefetch_related_objects(result["items"], "agencies", "fees")
    result["items"] = [_procedure_item(p) for p in result["items"]]
    return result


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetail, 404: ErrorOut},
    summary="One published procedure",
)
def get_procedure(request, code: str):
    return _procedure_detail(request, _published_or_404(code))


def _qr_response(request, code: str, kind: str, content_type: str) -> HttpResponse:
    if not queries.published_procedures().filter(code=code).exists():
        raise NotFound(f"Không tìm thấy thủ tục mã {code}.")
    qr = segno.make(submission_url(request, code), error="m")
    response = HttpResponse(content_type=content_type)
    extra = {"title": f"Thủ tục {code}"} if kind == "svg" else {}
    qr.save(response, kind=kind, scale=8, border=4, **extra)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _image(content_type: str) -> dict:
    return {"responses": {200: {"content": {content_type: {}}}}}


@router.get(
    "/procedures/{code}/qr.svg",
    summary="QR code (SVG) opening the procedure's online submission page",
    response={200: None, 404: ErrorOut},
    openapi_extra=_image("image/svg+xml"),
)
def procedure_qr_svg(request, code: str):
    return _qr_response(request, code, "svg", "image/svg+xml")


@router.get(
    "/procedures/{code}/qr.png",
    summary="QR code (PNG) opening the procedure's online submission page",
    response={200: None, 404: ErrorOut},
    openapi_extra=_image("image/png"),
)
def procedure_qr_png(request, code: str):
    return _qr_response(request, code, "png", "image/png")


def _ref(obj) -> dict | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _agency_item(a: Agency) -> dict:
    return {
        "code": a.code,
        "name": a.name,
        "short_name": a.short_name,
        "level": a.level,
        "parent": _ref(a.parent),
        "unit": _ref(a.unit),
        "address": a.address,
        "hotline": a.hotline,
        "email": a.email,
        "website": a.website,
        "office_hours": a.office_hours,
    }


@router.get(
    "/agencies", response={200: Page[AgencyItem], 422: ErrorOut}, summary="Agencies, by code"
)
def list_agencies(request, filters: Query[AgencyFilters], page: Query[PageParams]):
    return paginate(queries.active_agencies(filters.level), page, _agency_item)


@router.get("/agencies/{code}", response={200: AgencyDetail, 404: ErrorOut}, summary="One agency")
def get_agency(request, code: str):
    agency = queries.active_agencies().filter(code=code).first()
    if agency is None:
        raise NotFound(f"Không tìm thấy cơ quan mã {code}.")
    children = agency.children.filter(is_active=True).order_by("code")
    return _agency_item(agency) | {"children": [_ref(c) for c in children]}
