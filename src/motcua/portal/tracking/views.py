"""The citizen's pages after submission: the confirmation, "my dossiers", one dossier (with
its history, slips, fees, result, supplement answer and rating), the notification centre and
the public status lookup.

Thin views: reads through `dossiers.queries` and `portal.tracking.queries`, every change
through a service (`dossiers.services.perform`, `feedback.services.rate_dossier`,
`integrations.inbox`). A dossier that is not the signed-in applicant's is a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.downloads import private_file_response
from motcua.core.errors import DomainError, NotFound, RateLimited
from motcua.core.paging import page_of
from motcua.core.ratelimit import check_rate
from motcua.dossiers import queries as dossier_queries
from motcua.dossiers import services
from motcua.dossiers.display import timeliness
from motcua.dossiers.models import Channel, Status
from motcua.dossiers.queries import events_of, is_applicant
from motcua.dossiers.services import perform
from motcua.dossiers.slips import issuing_event, slip_url
from motcua.dossiers.timeliness import dossier_timeliness
from motcua.feedback import services as feedback
from motcua.integrations import inbox
from motcua.payments.services import amount_owed

from . import display, queries
from .forms import ACCEPT, LookupForm, RatingForm, SupplementAnswer


def _own_dossier(user, code: str):
    """The dossier if the user is its applicant; 404 for everybody else (officers included:
    the citizen's pages are the applicant's)."""
    try:
        dossier = dossier_queries.dossier_for(user, code)
    except NotFound:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None
    if not is_applicant(user, dossier) or dossier.status == Status.DRAFT:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def result_available(dossier) -> bool:
    """The applicant downloads the result once it is returned, or as soon as it is ready
    when the dossier was submitted online (its result is delivered electronically)."""
    if not dossier.result_file_id:
        return False
    if dossier.status == Status.RETURNED:
        return True
    return dossier.status == Status.RESULT_READY and dossier.channel == Channel.ONLINE


def _summary(dossier, now) -> dict:
    return {
        "dossier": dossier,
        "status": display.status(dossier.status),
        "timeliness": timeliness(dossier_timeliness(dossier, now)),
        "due_at": dossier.extended_due_at or dossier.due_at,
    }


@login_required
def my_dossiers(request):
    group = request.GET.get("nhom", "")
    if group not in display.GROUPS:
        group = ""
    page = page_of(request, queries.my_dossiers(request.user, group or None))
    now = timezone.now()
    counts = queries.group_counts(request.user)
    return render(
        request,
        "portal/tracking/my_dossiers.html",
        {
            "rows": [_summary(d, now) for d in page.object_list],
            "page": page,
            "group": group,
            "groups": [("", _("Tất cả"), counts[""])]
            + [(key, label, counts[key]) for key, (label, _s) in display.GROUPS.items()],
            "drafts": queries.drafts_of(request.user),
            "total": counts[""],
        },
    )


@login_required
def dossier_submitted(request, code):
    dossier = _own_dossier(request.user, code)
    events = list(events_of(dossier))
    issued = issuing_event(events, "mau-01") is not None
    return render(
        request,
        "portal/tracking/submitted.html",
        display.confirmation(dossier)
        | {
            "receipt_url": slip_url(dossier.code, "mau-01") if issued else "",
            "owed": amount_owed(dossier),
        },
    )


def supplement_context(request, dossier, events, answer=None) -> dict:
    """What a dossier page shows of a supplement request: the request, and the answer form when
    the user may answer it now."""
    request_event = display.supplement_request(events)
    if not may_supplement(dossier, request.user):
        answer = None
    elif answer is None:
        answer = SupplementAnswer(display.missing(request_event), request.user)
    return {"answer": answer, "request_event": request_event, "accept": ACCEPT}


def may_supplement(dossier, user) -> bool:
    return "supplement" in services.allowed_actions(dossier, user)


def _render_dossier(request, dossier, *, answer=None, rating_form=None, status=200):
    now = timezone.now()
    events = list(events_of(dossier))
    rating = feedback.rating_of(dossier)
    can_rate = feedback.can_rate(dossier, request.user) and (
        rating is None or feedback.can_change(rating, now)
    )
    if can_rate and rating_form is None:
        initial = {"score": rating.score, "comment": rating.comment} if rating else None
        rating_form = RatingForm(initial=initial)
    context = _summary(dossier, now) | {
        "components": list(dossier.components.select_related("file").order_by("id")),
        "history": display.history(dossier, events),
        "slips": display.slips(dossier, events),
        "owed": amount_owed(dossier),
        "result_available": result_available(dossier),
        **supplement_context(request, dossier, events, answer),
        "rating": rating,
        "rating_form": rating_form if can_rate else None,
        "rating_changeable_until": (
            timezone.localtime(rating.rated_at + feedback.CHANGE_WINDOW) if rating else None
        ),
        "step": dossier.current_step.name if dossier.current_step_id else "",
    }
    return render(request, "portal/tracking/dossier.html", context, status=status)


@login_required
def my_dossier(request, code):
    dossier = _own_dossier(request.user, code)
    # Opening the dossier is reading what the notification centre said about it.
    inbox.mark_all_read(request.user, dossier=dossier)
    return _render_dossier(request, dossier)


@dataclass(frozen=True)
class DossierPage:
    """A dossier page the supplement answer is given on: the applicant's own, or that of the
    helper who submitted it for the citizen."""

    dossier_of: Callable  # (user, code) -> the dossier, 404 for anybody else's
    render: Callable  # (request, dossier, *, answer, status) -> the page
    url_name: str


def supplement_answer_view(page: DossierPage):
    """The one view that answers a supplement request (the documents asked for, all at once)."""

    @require_POST
    def answer_supplement(request, code):
        user = request.user
        dossier = page.dossier_of(user, code)
        back = redirect(page.url_name, code=dossier.code)
        if not may_supplement(dossier, user):
            messages.error(request, _("Hồ sơ không còn chờ bổ sung."))
            return back
        missing = display.missing(display.supplement_request(list(events_of(dossier))))
        answer = SupplementAnswer(missing, user, request.POST, request.FILES)
        if not answer.is_valid():
            return page.render(request, dossier, answer=answer, status=422)
        try:
            perform(
                dossier.code, "supplement", user, components=answer.components(), note=answer.note
            )
        except DomainError as error:
            if error.status == 409:
                messages.error(request, _(error.message))
                return back
            answer.errors.append(_(error.message))
            dossier = page.dossier_of(user, code)
            return page.render(request, dossier, answer=answer, status=error.status)
        messages.success(request, _("Đã gửi giấy tờ bổ sung. Hồ sơ được giải quyết tiếp."))
        return back

    return answer_supplement


answer_supplement = login_required(
    supplement_answer_view(DossierPage(_own_dossier, _render_dossier, "portal:my_dossier"))
)


@login_required
@require_POST
def rate(request, code):
    dossier = _own_dossier(request.user, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_dossier(request, dossier, rating_form=form, status=422)
    try:
        _rating, created = feedback.rate_dossier(
            dossier, request.user, form.cleaned_data["score"], form.cleaned_data["comment"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:my_dossier", code=dossier.code)
    messages.success(
        request,
        _("Cảm ơn bạn đã đánh giá.") if created else _("Đã cập nhật đánh giá của bạn."),
    )
    return redirect("portal:my_dossier", code=dossier.code)


@login_required
def result_file(request, code):
    dossier = _own_dossier(request.user, code)
    if not result_available(dossier):
        raise Http404(_("Chưa có kết quả để tải về."))
    return private_file_response(dossier.result_file)


@login_required
def component_file(request, code, file_id):
    """A document of the applicant's own dossier (what they or the counter gave)."""
    dossier = _own_dossier(request.user, code)
    component = dossier.components.select_related("file").filter(file_id=file_id).first()
    if component is None:
        raise Http404(_("Không tìm thấy tệp."))
    return private_file_response(component.file)


# ---------------------------------------------------------------------- notifications


@login_required
def notifications(request):
    page = page_of(request, inbox.notifications_of(request.user))
    return render(
        request,
        "portal/tracking/notifications.html",
        {"page": page, "unread": inbox.unread_count(request.user)},
    )


def _back_to_notifications(request):
    page = request.POST.get("page", "")
    target = redirect("portal:notifications")
    if page.isdigit():
        target["Location"] += f"?page={page}"
    return target


@login_required
@require_POST
def notification_read(request, notification_id):
    try:
        inbox.mark_read(request.user, notification_id)
    except NotFound:
        raise Http404(_("Không tìm thấy thông báo.")) from None
    return _back_to_notifications(request)


@login_required
@require_POST
def notifications_read_all(request):
    count = inbox.mark_all_read(request.user)
    if count:
        messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
    return _back_to_notifications(request)


# ------------------------------------------------------------------------ public lookup


def lookup(request):
    """The public status page (the Mẫu 01 QR code opens it with `?code=`): the status shows
    only when the code and the applicant's ID number match; anything else reads the same."""
    found, status = None, 200
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            try:
                check_rate(request, dossier_queries.LOOKUP_SCOPE, dossier_queries.LOOKUP_LIMIT, 60)
            except RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            else:
                dossier = dossier_queries.lookup(
                    form.cleaned_data["code"], form.cleaned_data["id_number"]
                )
                if dossier is None:
                    form.add_error(None, _("Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập."))
                else:
                    found = _summary(dossier, timezone.now())
                    found["mine"] = is_applicant(request.user, dossier)
        else:
            status = 422
    else:
        form = LookupForm(initial={"code": (request.GET.get("code") or "").strip()[:50]})
    return render(
        request, "portal/tracking/lookup.html", {"form": form, "found": found}, status=status
    )
