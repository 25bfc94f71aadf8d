"""The public catalog pages: thin views over catalog.queries and workdays."""

import segno
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from motcua.catalog import queries as catalog
from motcua.catalog.api import submission_url
from motcua.core.errors import ValidationFailed
from motcua.core.paging import page_of
from motcua.workdays.deadlines import compute_due_at

from . import queries
from .display import by_name, sector_name
from .forms import AgencyFilterForm, ProcedureFilterForm


def _wants_fragment(request) -> bool:
    """htmx swaps only the results in place; a history restore needs the whole page."""
    return "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "sectors": by_name(queries.sectors_with_procedures(), sector_name),
            "procedure_count": catalog.published_procedures().count(),
        },
    )


def procedure_list(request):
    form = ProcedureFilterForm(request.GET)
    filters = form.filters()
    rows = catalog.ranked_procedures(
        filters["q"],
        sector=filters["sector"] or None,
        agency=filters["agency"] or None,
        level=filters["level"] or None,
        online=filters["online"] or None,
    )
    page = page_of(request, rows)
    # Two queries for the whole page, whatever its size.
    prefetch_related_objects(page.object_list, "agencies", "fees")
    context = {
        "form": form,
        "page": page,
        "query": filters["q"],
        "filtered": any(filters.values()),
    }
    template = "portal/_procedure_results.html" if _wants_fragment(request) else None
    response = render(request, template or "portal/procedure_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _published_or_404(code: str):
    procedure = (
        catalog.published_procedures()
        .prefetch_related(*catalog.PROCEDURE_DICT_PREFETCH)
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục mã %(code)s.") % {"code": code})
    return procedure


def _expected_due(procedure):
    """Due time if a dossier were received now at the first implementing agency."""
    agency = next(iter(procedure.agencies.all()), None)
    if agency is None:
        return None
    try:
        due_at = compute_due_at(
            timezone.now(),
            procedure.processing_time_value,
            procedure.processing_time_unit,
            office_hours=agency.office_hours,
            cutoff=procedure.cutoff_time,
        )
    except ValidationFailed:  # an agency with broken office hours: say nothing, not a 500
        return None
    return {"agency": agency, "due_at": timezone.localtime(due_at)}


def _qr_data_uri(request, code: str) -> str:
    return segno.make(submission_url(request, code), error="m").svg_data_uri(scale=6, border=4)


def procedure_detail(request, code):
    procedure = _published_or_404(code)
    fees = list(procedure.fees.all())
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "procedure": procedure,
            "fees": fees,
            "fee_total": catalog.fee_total(procedure),
            "expected": _expected_due(procedure),
            "qr": _qr_data_uri(request, procedure.code),
            "submission_url": submission_url(request, procedure.code),
        },
    )


def agency_list(request):
    form = AgencyFilterForm(request.GET)
    level = form.cleaned_data["level"] if form.is_valid() else ""
    page = page_of(request, queries.agencies_by_level(level or None))
    return render(request, "portal/agency_list.html", {"form": form, "page": page})


def agency_detail(request, code):
    agency = catalog.active_agencies().filter(code=code).first()
    if agency is None:
        raise Http404(_("Không tìm thấy cơ quan mã %(code)s.") % {"code": code})
    return render(
        request,
        "portal/agency_detail.html",
        {
            "agency": agency,
            "children": agency.children.filter(is_active=True).order_by("name"),
            "page": page_of(request, queries.procedures_of(agency)),
        },
    )
