"""Assisted submission pages ("Nộp hộ", dossiers/assisted.py): a community digital team
member or a reception officer on a home visit submits for a citizen who consents.

- `/nop-ho/`: the dossiers the helper submitted for citizens, and the drafts in progress;
- `/nop-ho/<code>/`: for whom (the citizen's ID number), where, and how the citizen
  consents; then `.../dong-y/`: the consent itself (the code sent to the citizen's phone,
  the citizen present, or the signed form's scan). The draft then follows the citizen's own
  submission pages (task list, e-form pages pre-filled for the citizen, attachments, check);
- `/nop-ho/ho-so/<code>/`: one dossier submitted for a citizen, as its helper sees it
  (status, history, a supplement to answer; never a withdrawal, which is the citizen's).

Only those who may assist (`assisted.can_assist`) see these pages (others: 403); a helper
sees only their own drafts and dossiers (others: 404). Thin views over dossiers.drafts,
dossiers.assisted and dossiers.services.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError, RateLimited, ValidationFailed
from motcua.core.paging import page_of
from motcua.dossiers import assisted, drafts
from motcua.dossiers.files import store_file
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.queries import events_of

from ..tracking import display
from ..tracking.views import (
    DossierPage,
    _summary,
    supplement_answer_view,
    supplement_context,
)
from ..views import _published_or_404
from .forms import METHODS, ConsentForm, ForWhomForm, SendCodeForm

SESSION_KEY = "nop_ho"  # {procedure code: {citizen, agency, method, code_id, sent_to}}


def _assisting(view):
    """Signed in (else to the sign-in page) and allowed to assist (else 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not assisted.can_assist(request.user):
            return render(request, "portal/assisted/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _helped(user, code: str) -> Dossier:
    """A dossier the user submitted for a citizen; 404 for any other."""
    dossier = (
        Dossier.objects.filter(helper_user=user, code=code)
        .exclude(status=Status.DRAFT)
        .select_related("procedure", "agency", "current_step", "applicant_user")
        .first()
        if code
        else None
    )
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def helped_dossiers(user):
    """The dossiers `user` submitted for citizens, the most recent first."""
    return (
        Dossier.objects.filter(helper_user=user)
        .exclude(status=Status.DRAFT)
        .select_related("procedure", "agency")
        .order_by("-submitted_at", "-id")
    )


@_assisting
@require_http_methods(["GET"])
def home(request):
    page = page_of(request, helped_dossiers(request.user))
    now = timezone.now()
    return render(
        request,
        "portal/assisted/home.html",
        {
            "page": page,
            "rows": [_summary(d, now) for d in page.object_list],
            "drafts": [(d, drafts.expires_at(d)) for d in drafts.assisted_drafts_of(request.user)],
            "profile": assisted.assister(request.user),
        },
    )


# ---------------------------------------------------------------------------- starting


def _agencies(procedure):
    return [a for a in procedure.agencies.all() if a.is_active]


def _online(procedure) -> bool:
    return "online" in procedure.channels and procedure.online_level != "none"


def _states(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _remember(request, code: str, state: dict | None) -> None:
    states = dict(_states(request))
    if state is None:
        states.pop(code, None)
    else:
        states[code] = state
    request.session[SESSION_KEY] = states


@_assisting
@require_http_methods(["GET", "POST"])
def start(request, code):
    """For whom, where and how the citizen consents."""
    procedure = _published_or_404(code)
    agencies = _agencies(procedure)
    if not _online(procedure) or not agencies:
        return render(
            request, "portal/assisted/not_online.html", {"procedure": procedure}, status=404
        )
    state = _states(request).get(code) or {}
    initial = {k: state[k] for k in ("citizen", "agency", "method") if k in state}
    form = ForWhomForm(
        request.POST or None, initial=initial, helper=request.user, agencies=agencies
    )
    if request.method == "POST" and form.is_valid():
        chosen = {k: form.cleaned_data[k] for k in ("citizen", "agency", "method")}
        if state.get("citizen") == chosen["citizen"] and state.get("code_id"):
            # The code already sent to this citizen still serves.
            chosen.update(code_id=state["code_id"], sent_to=state.get("sent_to", ""))
        _remember(request, code, chosen)
        return redirect("portal:assisted_consent", code)
    return render(
        request,
        "portal/assisted/start.html",
        {
            "procedure": procedure,
            "form": form,
            "hints": form.hints(),
            "summary": _form_summary(form),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


def _form_summary(form) -> list[tuple[str, str]]:
    rows = []
    for name, errors in form.errors.items():
        anchor = ""
        if name in form.fields:
            radio = getattr(form.fields[name].widget, "input_type", "") == "radio"
            anchor = form[name].auto_id + ("_0" if radio else "")
        rows += [(anchor, message) for message in errors]
    return rows


# Where the services' refusals show on the consent page.
_FIELDS = {
    "helper.consent_code": "code",
    "helper.consent_code_id": "code",
    "helper.consent_file_id": "scan",
    "helper.consent_note": "note",
    "applicant.full_name": "full_name",
}


def _refusal_to_form(form, refused: DomainError) -> None:
    for path, problems in (refused.fields or {"": [refused.message]}).items():
        name = _FIELDS.get(path)
        for problem in problems:
            form.add_error(name if name in form.fields else None, _(problem))


def _consent(request, form, state) -> dict:
    """The `consent` argument of `drafts.start_for`, from the form (a scan kept first)."""
    method = state["method"]
    consent = {"consent_method": method, "consent_note": form.cleaned_data["note"]}
    if method == "otp":
        consent.update(
            consent_code_id=state.get("code_id", ""), consent_code=form.cleaned_data["code"]
        )
    elif method == "paper":
        scan = form.cleaned_data["scan"]
        consent["consent_file_id"] = str(store_file(scan, scan.name or "", request.user).pk)
    return consent


def _send_code(request, code, state):
    """Send the consent code to the citizen's phone: (the form, the redirect once sent)."""
    send_form = SendCodeForm(request.POST)
    if not send_form.is_valid():
        return send_form, None
    try:
        row = assisted.request_consent_code(
            request.user, state["citizen"], phone=send_form.cleaned_data["phone"]
        )
    except (RateLimited, assisted.SmsUnavailable) as refused:
        send_form.add_error(None, _(refused.message))
        return send_form, None
    except ValidationFailed as refused:
        for problems in (refused.fields or {"": [refused.message]}).values():
            for problem in problems:
                send_form.add_error("phone", _(problem))
        return send_form, None
    masked = assisted.masked_phone(row)
    _remember(request, code, state | {"code_id": str(row.pk), "sent_to": masked})
    messages.success(
        request,
        _("Đã gửi mã xác nhận tới số %(phone)s. Mã có hiệu lực %(minutes)s phút.")
        % {"phone": masked, "minutes": assisted.CODE_MINUTES},
    )
    return send_form, redirect("portal:assisted_consent", code)


def _start_draft(request, procedure, state, form):
    """The draft for the citizen once the consent holds (None: the form says why not)."""
    method = state["method"]
    if method == "otp" and not state.get("code_id"):
        form.add_error(None, _("Hãy gửi mã xác nhận tới điện thoại của công dân trước."))
        return None
    if method == "otp" and not form.cleaned_data["code"]:
        form.add_error("code", _("Nhập mã xác nhận công dân đọc cho bạn."))
        return None
    try:
        return drafts.start_for(
            request.user,
            procedure.code,
            state["agency"],
            on_behalf_of=state["citizen"],
            consent=_consent(request, form, state),
            full_name=form.cleaned_data["full_name"],
            key=form.cleaned_data["key"],
        )
    except DomainError as refused:
        _refusal_to_form(form, refused)
        return None


@_assisting
@require_http_methods(["GET", "POST"])
def consent(request, code):
    """The citizen's consent, as chosen on the start page; then the draft begins."""
    procedure = _published_or_404(code)
    found = drafts.started(request.user, request.POST.get("key", ""))
    if found is not None:  # the same consent sent twice (back button, double tap)
        return redirect("portal:draft", found.pk)
    state = _states(request).get(code)
    if not state:
        return redirect("portal:assisted_start", code)
    method = state["method"]
    status = 200
    send_form = SendCodeForm()
    form = ConsentForm(method=method)
    if request.method == "POST" and request.POST.get("action", "") == "send" and method == "otp":
        send_form, sent = _send_code(request, code, state)
        if sent is not None:
            return sent
        status = 422 if send_form.errors else 200
    elif request.method == "POST":
        form = ConsentForm(request.POST, request.FILES, method=method)
        if form.is_valid() and (dossier := _start_draft(request, procedure, state, form)):
            _remember(request, code, None)
            return redirect("portal:draft", dossier.pk)
        status = 422
    return render(
        request,
        "portal/assisted/consent.html",
        {
            "procedure": procedure,
            "state": state,
            "method_label": dict((k, label) for k, label, _h in METHODS)[method],
            "agency": next((a for a in _agencies(procedure) if a.code == state["agency"]), None),
            "form": form,
            "send_form": send_form,
            "summary": _form_summary(form) + _form_summary(send_form),
            "code_minutes": assisted.CODE_MINUTES,
        },
        status=status,
    )


# ------------------------------------------------------------------ after submission


@_assisting
@require_http_methods(["GET"])
def submitted(request, code):
    dossier = _helped(request.user, code)
    return render(request, "portal/assisted/submitted.html", display.confirmation(dossier))


def _render_dossier(request, dossier, *, answer=None, status=200):
    events = list(events_of(dossier))
    context = _summary(dossier, timezone.now()) | {
        "history": display.history(dossier, events),
        "components": list(dossier.components.select_related("file").order_by("id")),
        **supplement_context(request, dossier, events, answer),
        "step": dossier.current_step.name if dossier.current_step_id else "",
    }
    return render(request, "portal/assisted/dossier.html", context, status=status)


@_assisting
@require_http_methods(["GET"])
def dossier(request, code):
    return _render_dossier(request, _helped(request.user, code))


# The helper answers a supplement request for the citizen (as the citizen could).
supplement = _assisting(
    supplement_answer_view(DossierPage(_helped, _render_dossier, "portal:assisted_dossier"))
)
