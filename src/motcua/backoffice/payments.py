"""The back office's payments: the panel of the dossier page (what is owed and why, payments,
receipts; cash or card at the counter; receipt cancellation and refunds) and the daily
collection report of an agency with its CSV/XLSX export.

Thin views over `payments.services` and `payments.queries`; the same rules as the API.
"""

import uuid

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.catalog.models import Agency, OfficerRole
from motcua.core.errors import DomainError
from motcua.core.models import IdempotencyRecord
from motcua.core.paging import page_of
from motcua.dossiers.queries import officer_roles
from motcua.payments import queries as payment_queries
from motcua.payments import reconciliation, reports
from motcua.payments import services as payments
from motcua.payments.models import Payment, Receipt

RECEIPT_ROLES = frozenset({OfficerRole.Role.RECEPTION, OfficerRole.Role.LEADER})


class CounterPaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp"),
        choices=[
            (Payment.Method.CASH, gettext_lazy("Tiền mặt")),
            (Payment.Method.CARD, gettext_lazy("Thẻ ngân hàng")),
        ],
        widget=forms.RadioSelect,
        initial=Payment.Method.CASH,
    )


class CancelReceiptForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do hủy biên lai"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefundForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Số tiền hoàn (đồng)"), min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Lý do hoàn tiền"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reference = forms.CharField(
        label=gettext_lazy("Số chứng từ hoàn"), required=False, max_length=100
    )
    # One refund per form shown: a retried or double-clicked form records nothing twice.
    once = forms.UUIDField(widget=forms.HiddenInput)


class CollectionFilterForm(forms.Form):
    agency = forms.ChoiceField(label=gettext_lazy("Cơ quan thu"))
    day = forms.DateField(
        label=gettext_lazy("Ngày"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]


def panel(dossier, user) -> dict:
    """What the dossier page shows of money, and the forms the officer may use."""
    roles = officer_roles(user).get(dossier.agency_id, frozenset())
    owed = payments.amount_owed(dossier)
    rows = payment_queries.payments_of(dossier)
    receipts = [p.receipt for p in rows if p.status == Payment.Status.PAID and _has_receipt(p)]
    manages = bool(roles & RECEIPT_ROLES)
    return {
        "owed": owed,
        "payments": rows,
        "paid_elsewhere": [
            item for item in payment_queries.paid_items(dossier) if not item["ours"]
        ],
        "collect_form": CounterPaymentForm(prefix="thu")
        if OfficerRole.Role.RECEPTION in roles and owed.total > 0
        else None,
        "receipt_forms": [
            (
                receipt,
                CancelReceiptForm(prefix=f"huy-{receipt.pk}"),
                RefundForm(prefix=f"hoan-{receipt.pk}", initial={"once": uuid.uuid4()}),
            )
            for receipt in receipts
            if manages and receipt.status == Receipt.Status.ISSUED
        ],
    }


def _has_receipt(payment: Payment) -> bool:
    try:
        return payment.receipt is not None
    except Receipt.DoesNotExist:
        return False


def _receipt_of(dossier, receipt_id: int) -> Receipt:
    receipt = Receipt.objects.filter(pk=receipt_id, payment__dossier=dossier).first()
    if receipt is None:
        raise Http404(_("Không tìm thấy biên lai."))
    return receipt


def _done(request, dossier, message: str):
    messages.success(request, message)
    return redirect(f"{_dossier_url(dossier)}#phi-le-phi")


def _dossier_url(dossier) -> str:
    from django.urls import reverse

    return reverse("backoffice:dossier", args=[dossier.code])


def _failed(request, dossier, error: DomainError):
    problems = [p for items in (error.fields or {}).values() for p in items]
    messages.error(request, " ".join([error.message, *problems]))
    return redirect(f"{_dossier_url(dossier)}#phi-le-phi")


@require_POST
def collect(request, dossier):
    form = CounterPaymentForm(request.POST, prefix="thu")
    if not form.is_valid():
        messages.error(request, _("Chọn hình thức nộp: tiền mặt hoặc thẻ."))
        return redirect(f"{_dossier_url(dossier)}#phi-le-phi")
    try:
        payment, _created = payments.start_payment(
            dossier.code, request.user, method=form.cleaned_data["method"]
        )
    except DomainError as error:
        return _failed(request, dossier, error)
    return _done(
        request,
        dossier,
        _("Đã thu %(amount)s đồng, biên lai %(number)s.")
        % {"amount": f"{payment.amount:,}".replace(",", "."), "number": payment.receipt},
    )


@require_POST
def cancel_receipt(request, dossier, receipt_id: int):
    receipt = _receipt_of(dossier, receipt_id)
    form = CancelReceiptForm(request.POST, prefix=f"huy-{receipt.pk}")
    if not form.is_valid():
        messages.error(request, _("Cần nêu lý do hủy biên lai."))
        return redirect(f"{_dossier_url(dossier)}#phi-le-phi")
    try:
        payments.cancel_receipt(receipt.pk, request.user, form.cleaned_data["reason"])
    except DomainError as error:
        return _failed(request, dossier, error)
    return _done(request, dossier, _("Đã hủy biên lai %(number)s.") % {"number": receipt})


@require_POST
def refund(request, dossier, receipt_id: int):
    receipt = _receipt_of(dossier, receipt_id)
    form = RefundForm(request.POST, prefix=f"hoan-{receipt.pk}")
    if not form.is_valid():
        messages.error(request, _("Cần số tiền hoàn (số nguyên dương) và lý do hoàn tiền."))
        return redirect(f"{_dossier_url(dossier)}#phi-le-phi")
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if not _first_time(request.user, f"refund:{receipt.pk}", data["once"]):
                messages.info(request, _("Khoản hoàn tiền này đã được ghi nhận trước đó."))
                return redirect(f"{_dossier_url(dossier)}#phi-le-phi")
            payments.refund(
                receipt.pk,
                request.user,
                amount=data["amount"],
                reason=data["reason"],
                reference=data["reference"],
            )
    except DomainError as error:
        return _failed(request, dossier, error)
    return _done(
        request, dossier, _("Đã ghi nhận hoàn tiền theo biên lai %(number)s.") % {"number": receipt}
    )


def _first_time(user, scope: str, key: uuid.UUID) -> bool:
    """Claim a form's one-time key inside the caller's transaction (rolled back with it)."""
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(
                owner=f"u{user.pk}",
                user=user,
                scope=scope[:64],
                key=str(key),
                request_hash="",
                status=200,
                body={},
            )
    except IntegrityError:
        return False
    return True


def collections(request):
    """The daily collection report of an agency the officer collects for, leads or monitors."""
    roles = officer_roles(request.user)
    agencies = list(
        Agency.objects.filter(
            pk__in=[pk for pk, held in roles.items() if held & reconciliation.READERS]
        ).order_by("name")
    )
    if not agencies:
        return render(request, "backoffice/forbidden.html", status=403)
    form = CollectionFilterForm(request.GET or None, agencies=agencies)
    agency, day, status = agencies[0], timezone.localdate(), 200
    if form.is_bound:
        if form.is_valid():
            agency = next(a for a in agencies if a.code == form.cleaned_data["agency"])
            day = form.cleaned_data["day"] or day
        else:
            status = 422
    report = payment_queries.daily_collection(agency, day)
    export = request.GET.get("xuat")
    if export == "csv" and status == 200:
        return _download(reports.collection_csv(report), "text/csv; charset=utf-8", report, "csv")
    if export == "xlsx" and status == 200:
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(reports.collection_xlsx(report), xlsx, report, "xlsx")
    labels = dict(Payment.Method.choices)
    report["by_method"] = [{**row, "label": labels[row["method"]]} for row in report["by_method"]]
    page = page_of(request, report["receipts"])
    query = {"agency": agency.code, "day": day.isoformat()}
    return render(
        request,
        "backoffice/collections.html",
        {
            "form": form,
            "agency": agency,
            "day": day,
            "report": report,
            "page": page,
            "query": "&".join(f"{k}={v}" for k, v in query.items()),
        },
        status=status,
    )


def _download(content: bytes, content_type: str, report: dict, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = reports.filename(report, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
