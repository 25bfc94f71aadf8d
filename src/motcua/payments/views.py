"""The citizen's payment page for a dossier: what is owed and why, the VietQR code shown large
with the bank details to type by hand, the status updating by itself, the receipts.

Thin views over `services` and `queries`; the same rules as the API.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError, NotFound

from . import queries, services
from .models import Payment
from .plugins.registry import register


def _dossier(request, code):
    try:
        return queries.visible_dossier(request.user, code)
    except NotFound:
        raise Http404 from None


def _context(request, dossier) -> dict:
    payments = queries.payments_of(dossier)
    pending = next((p for p in payments if p.status == Payment.Status.PENDING), None)
    plugin = register.get(pending.gateway) if pending else None
    return {
        "dossier": dossier,
        "owed": services.amount_owed(dossier),
        "payments": payments,
        "pending": pending,
        # The latest receipt, shown once nothing is owed any more.
        "paid": next(
            (p for p in payments if p.status == Payment.Status.PAID and hasattr(p, "receipt")),
            None,
        ),
        "account": queries.collection_account(dossier.agency_id) if pending else None,
        "can_simulate": bool(plugin and plugin.can_simulate and plugin in register.enabled()),
        "gateways": register.enabled(),
    }


@login_required
def pay(request, code):
    dossier = _dossier(request, code)
    services.expire_overdue(dossier=dossier)
    return render(request, "payments/pay.html", _context(request, dossier))


@login_required
def status(request, code):
    """The status block alone, polled by the page (htmx) until the payment is settled."""
    dossier = _dossier(request, code)
    services.expire_overdue(dossier=dossier)
    return render(request, "payments/_status.html", _context(request, dossier))


@login_required
@require_POST
def start(request, code):
    dossier = _dossier(request, code)
    gateway = request.POST.get("gateway") or None
    try:
        services.start_payment(dossier.code, request.user, gateway=gateway)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("payments:pay", code=dossier.code)


@login_required
@require_POST
def simulate(request, code):
    dossier = _dossier(request, code)
    payment = next(
        (p for p in queries.payments_of(dossier) if str(p.pk) == request.POST.get("payment")),
        None,
    )
    if payment is None:
        raise Http404
    try:
        services.simulate_payment(payment)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("payments:pay", code=dossier.code)
