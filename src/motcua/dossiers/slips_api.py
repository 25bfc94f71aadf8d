"""`GET /dossiers/{code}/forms/{form}.pdf`: the slips a dossier has been issued (docs/api.md)."""

from django.http import HttpResponse
from ninja import Router

from motcua.core.api.auth import api_auth
from motcua.core.api.errors import ErrorOut

from . import queries
from .slips import FORMS, slip_pdf

router = Router(tags=["dossiers"])


@router.get(
    "/dossiers/{code}/forms/{form}.pdf",
    auth=api_auth,
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="dossier_form_pdf",
    summary="A slip the dossier has been issued (Mẫu 01 … 06), as PDF",
    description="`mau-01` receipt and appointment, `mau-02` request to supplement, `mau-03` "
    "refusal, `mau-04` apology and new appointment, `mau-05` stop notice, `mau-06` control "
    "slip. 404 when the dossier has not been issued the slip, or the caller may not see it.",
)
def dossier_form_pdf(request, code: str, form: str):
    dossier = queries.dossier_for(request.auth, code)
    pdf = slip_pdf(dossier, form, base_url=request.build_absolute_uri("/"))
    # A slip carries the applicant's personal data: an officer's print is a read.
    queries.record_officer_read(request.auth, dossier, f"In {FORMS[form].title}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-{form}.pdf"'
    return response
