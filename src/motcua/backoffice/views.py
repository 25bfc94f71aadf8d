"""The officers' pages (một cửa điện tử): sign-in, inbox, dossier page with its actions,
counter reception, private files.

Thin views: reads through `dossiers.queries` and `backoffice.queries`, every change through
`dossiers.services`; a dossier outside the officer's agencies is a 404.
"""

from functools import wraps

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import Agency
from motcua.catalog.queries import published_procedure
from motcua.core.downloads import private_file_response
from motcua.core.errors import DomainError, NotFound, ValidationFailed
from motcua.core.paging import page_of
from motcua.dossiers import eform, services
from motcua.dossiers.files import JPEG, PDF, PNG
from motcua.dossiers.models import StoredFile
from motcua.dossiers.queries import (
    dossier_for,
    events_of,
    officer_agency_of,
    officer_roles,
    record_officer_read,
)
from motcua.dossiers.timeliness import dossier_timeliness, step_visits

from . import display, queries, second_factor
from . import eform as counter_eform
from . import payments as money
from .forms import (
    ACTION_FORMS,
    CounterForm,
    InboxFilterForm,
    OfficerAuthenticationForm,
    SecondFactorForm,
)
from .second_factor import second_factor_challenge


def _forbidden(request):
    return render(request, "backoffice/forbidden.html", status=403)


def officer_required(view):
    """Signed-in officers only: others go to the sign-in page, citizens get a 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
        if not officer_roles(request.user):
            return _forbidden(request)
        if not second_factor.session_verified(request):
            # Signed in elsewhere on a password alone: this role needs the second factor.
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
        return view(request, *args, **kwargs)

    return wrapped


class OfficerLoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = OfficerAuthenticationForm

    def form_valid(self, form):
        # Two-factor sign-in plugs in here: a challenge page instead of the session.
        challenge = second_factor_challenge(self.request, form.get_user())
        if challenge is not None:
            return challenge
        return super().form_valid(form)

    def get_default_redirect_url(self):
        return reverse("backoffice:inbox")


def second_factor_page(request):
    """The one-time code after the password (and enrolment of an authenticator app), or an
    optional enrolment for a signed-in officer."""
    user = second_factor.pending_user(request)
    if user is None and request.user.is_authenticated and officer_roles(request.user):
        user = request.user
    if user is None:
        messages.error(request, _("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."))
        return redirect("backoffice:login")
    device, enrolling = second_factor.device_for(user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, user, form.cleaned_data["code"]):
            if enrolling:
                messages.success(request, _("Đã bật xác thực hai lớp cho tài khoản."))
            target = request.session.pop("backoffice_next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("backoffice:inbox")
            return redirect(target)
        form.add_error("code", _("Mã không đúng hoặc đã hết hạn. Vui lòng thử mã mới."))
    context = {"form": form, "enrolling": enrolling, "officer": user}
    if enrolling:
        context.update(second_factor.enrolment(device))
    return render(
        request, "backoffice/second_factor.html", context, status=422 if form.errors else 200
    )


class OfficerLogoutView(auth_views.LogoutView):
    next_page = "backoffice:login"


@officer_required
def inbox(request):
    user = request.user
    now = timezone.now()
    tabs = queries.tabs_for(user)
    slugs = [tab.slug for tab in tabs]
    tab = request.GET.get("tab")
    if tab not in slugs:
        tab = queries.DEFAULT_TAB
    form = InboxFilterForm(request.GET or None, procedures=queries.procedures_of(user))
    # A bad filter (an unknown procedure) is shown as an error; the good ones still apply.
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data
    part_counts = queries.tab_part_counts(user, now)
    counts = {slug: sum(parts) for slug, parts in part_counts.items()}
    rows = queries.inbox_rows(
        user,
        tab,
        q=filters.get("q", ""),
        procedure=filters.get("procedure", ""),
        status=filters.get("status", ""),
        channel=filters.get("channel", ""),
        now=now,
        part_counts=part_counts[tab],
    )
    page = page_of(request, rows)
    page.object_list = queries.dossiers_by_ids(list(page.object_list))
    return render(
        request,
        "backoffice/inbox.html",
        {
            "tabs": [(t, counts[t.slug]) for t in tabs],
            "tab": next(t for t in tabs if t.slug == tab),
            "form": form,
            "page": page,
            "rows": [display.row(d, now) for d in page.object_list],
            "filtered": any(filters.values()),
        },
    )


def _officer_dossier(user, code: str):
    """The dossier if it belongs to one of the officer's agencies; 404 otherwise."""
    try:
        dossier = dossier_for(user, code)
    except NotFound:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None
    if officer_agency_of(user, dossier) is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def _unpaid_before_return(dossier, user, allowed, owed: int) -> int:
    """The fee still to collect when it alone keeps this officer from returning the result
    (the workflow gives them the action, its payment rule holds it back); else 0."""
    may_return = services.role_for(dossier, "return_result", user) is not None
    return owed if may_return and "return_result" not in allowed and owed > 0 else 0


def _render_dossier(request, dossier, *, bound=None, status=200):
    user = request.user
    now = timezone.now()
    events = list(events_of(dossier).select_related("actor"))
    action_forms = []
    allowed = services.allowed_actions(dossier, user, now)
    for action in allowed:
        form_class = ACTION_FORMS.get(action)
        if form_class is None:
            continue
        if bound is not None and bound.prefix == action:
            action_forms.append((action, bound))
        else:
            action_forms.append((action, form_class(dossier=dossier, user=user, prefix=action)))
    # The dossier's way forward first, refusing and stopping last.
    action_forms.sort(key=lambda pair: pair[1].danger)
    components = list(dossier.components.select_related("file", "spec"))
    pay = money.panel(dossier, user)
    context = {
        "dossier": dossier,
        "timeliness": display.timeliness(dossier_timeliness(dossier, now)),
        "status": display.status(dossier.status),
        "answers": eform.shown_answers(
            dossier.procedure.form_schema, dossier.procedure.form_ui, dossier.form
        ),
        "components": components,
        "events": [display.event(e) for e in events],
        "visits": [display.visit(v) for v in step_visits(dossier, events, now)],
        "slips": display.slips(dossier, events),
        "action_forms": action_forms,
        "pay": pay,
        "unpaid_before_return": _unpaid_before_return(dossier, user, allowed, pay["owed"].total),
    }
    return render(request, "backoffice/dossier.html", context, status=status)


@officer_required
def dossier_detail(request, code):
    dossier = _officer_dossier(request.user, code)
    record_officer_read(request.user, dossier, _("Xem hồ sơ trên hệ thống một cửa điện tử"))
    return _render_dossier(request, dossier)


@officer_required
@require_POST
def dossier_action(request, code, action):
    user = request.user
    dossier = _officer_dossier(user, code)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES, dossier=dossier, user=user, prefix=action)
    if not form.is_valid():
        messages.error(request, _("Chưa thực hiện được: vui lòng kiểm tra các ô được đánh dấu."))
        return _render_dossier(request, dossier, bound=form, status=422)
    try:
        done = services.perform(dossier.code, action, user, **form.arguments())
    except DomainError as error:
        for field, problems in (error.fields or {}).items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        messages.error(request, error.message)
        dossier = _officer_dossier(user, code)
        return _render_dossier(request, dossier, bound=form, status=error.status)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": form.title})
    if officer_agency_of(user, done) is None:
        return redirect("backoffice:inbox")
    return redirect("backoffice:dossier", code=done.code)


@officer_required
def dossier_collect(request, code):
    """Cash or card taken at the counter for what the dossier owes, with its receipt."""
    return money.collect(request, _officer_dossier(request.user, code))


@officer_required
def receipt_cancel(request, code, receipt_id):
    return money.cancel_receipt(request, _officer_dossier(request.user, code), receipt_id)


@officer_required
def receipt_refund(request, code, receipt_id):
    return money.refund(request, _officer_dossier(request.user, code), receipt_id)


@officer_required
def collections(request):
    return money.collections(request)


@officer_required
@csp_update({"object-src": ["'self'"]})
def dossier_file(request, code, file_id):
    """A component or the result, only to the officers of the dossier's agencies: shown in
    the browser (PDF, images) or downloaded."""
    dossier = _officer_dossier(request.user, code)
    attached = set(dossier.components.exclude(file=None).values_list("file_id", flat=True))
    if dossier.result_file_id:
        attached.add(dossier.result_file_id)
    if file_id not in attached:
        raise Http404(_("Không tìm thấy tệp."))
    stored = StoredFile.objects.get(pk=file_id)
    record_officer_read(request.user, dossier, _("Xem giấy tờ: %(name)s") % {"name": stored.name})
    inline = stored.content_type in (PDF, JPEG, PNG) and "tai-ve" not in request.GET
    return private_file_response(stored, inline=inline)


@officer_required
def counter(request):
    """Counter reception, first step: choose the procedure."""
    if not queries.reception_agencies(request.user):
        return _forbidden(request)
    q = (request.GET.get("q") or "").strip()[:200]
    page = page_of(request, queries.counter_procedures(request.user, q))
    return render(request, "backoffice/counter.html", {"q": q, "page": page})


@officer_required
def counter_receive(request, code):
    """Counter reception: applicant, e-form and scanned components, then the receipt."""
    user = request.user
    procedure = published_procedure(code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    agencies = list(
        Agency.objects.filter(
            pk__in=queries.reception_agencies(user), procedures=procedure, is_active=True
        ).order_by("name")
    )
    if not agencies:
        raise Http404(_("Cơ quan của bạn không tiếp nhận thủ tục này."))
    asked = counter_eform.item_action(procedure, request.POST) if request.method == "POST" else None
    if asked is not None:
        # An item added or removed, or the questions updated to the answers: the page again
        # with every answer typed (but those to questions no longer asked), no errors yet;
        # with htmx only the e-form.
        form = CounterForm(
            initial=asked.initial, procedure=procedure, agencies=agencies, counts=asked.counts
        )
        template = "backoffice/counter_receive.html"
        if request.headers.get("HX-Request") == "true":
            template = "backoffice/_counter_eform.html"
        return render(
            request,
            template,
            {"procedure": procedure, "form": form, "files_dropped": bool(request.FILES)},
        )
    form = CounterForm(
        request.POST or None, request.FILES or None, procedure=procedure, agencies=agencies
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                dossier = services.receive_at_counter(
                    officer=user,
                    procedure=procedure.code,
                    agency=form.cleaned_data["agency"],
                    applicant=form.applicant(),
                    form=form.answers(),
                    components=form.components(user),
                )
            except ValidationFailed as error:
                form.add_service_errors(error.fields)
                messages.error(request, error.message)
            except DomainError as error:
                status = error.status
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả (Mẫu 01).")
                    % {"code": dossier.code},
                )
                return redirect("backoffice:dossier", code=dossier.code)
        else:
            messages.error(request, _("Hồ sơ chưa hợp lệ: vui lòng kiểm tra các ô được đánh dấu."))
    return render(
        request,
        "backoffice/counter_receive.html",
        {"procedure": procedure, "form": form, "files_dropped": form.is_bound},
        status=status,
    )
