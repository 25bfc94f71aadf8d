"""The feedback pages (phản ánh, kiến nghị): the form (no JavaScript needed; a honeypot and
rate limits against abuse), the page of one feedback for its submitter (signed in, or with
the secret link of anonymous feedback), the submitter's list, and the public list of
published answers, which never shows who sent them.

Thin views: reads through `feedback.queries`, every change through `feedback.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.downloads import private_file_response
from motcua.core.errors import DomainError, NotFound, RateLimited
from motcua.dossiers.files import store_file
from motcua.feedback import limits, queries, services
from motcua.feedback.models import FeedbackAttachment
from motcua.feedback.services.submission import clean_contact, masked
from motcua.feedback.services.workflow import allowed_actions

from .forms import ACCEPT, FeedbackForm, NoteForm, SearchForm

PAGE_SIZE = 20
MAX_FILES = 5


def _page(request, rows):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.elided_range = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return page


def public_list(request):
    form = SearchForm(request.GET or None)
    wanted = form.cleaned_data if form.is_valid() else {}
    agency = wanted.get("agency")
    rows = queries.published(
        q=wanted.get("q") or "",
        agency=agency.code if agency else "",
        category=wanted.get("category") or "",
    )
    return render(
        request, "portal/feedback/list.html", {"form": form, "page": _page(request, rows)}
    )


@login_required
def my_feedback(request):
    rows = queries.visible_to(request.user).filter(submitter=request.user).select_related("agency")
    return render(request, "portal/feedback/mine.html", {"page": _page(request, rows)})


def _files(request) -> list:
    """The signed-in submitter's uploads, checked by their content (`store_file`)."""
    uploads = request.FILES.getlist("attachments")[:MAX_FILES]
    return [str(store_file(u, u.name or "", request.user).pk) for u in uploads]


def _send_code(request, form) -> None:
    try:
        recipient = clean_contact(form.cleaned_data.get("contact"))[1]
        limits.check_code(request, recipient)
        row = services.send_contact_code(recipient)
    except DomainError as error:
        form.add_error("contact", error.message)
        return
    data = form.data.copy()
    data["code_id"] = str(row.pk)
    form.data = data
    messages.info(request, _("Đã gửi mã xác nhận tới %(to)s.") % {"to": masked(row)})


def _submit(request, form):
    data = form.cleaned_data
    signed_in = request.user.is_authenticated
    limits.check_submission(request)
    fb, key = services.submit_feedback(
        request.user,
        title=data["title"],
        content=data["content"],
        category=data["category"],
        agency=data["agency"].code,
        dossier_code=data.get("dossier_code") or None,
        is_public=data["is_public"],
        attachments=_files(request) if signed_in else None,
        contact=None
        if signed_in
        else {"code_id": data.get("code_id"), "code": data.get("code"), "name": data.get("name")},
    )
    messages.success(request, _("Phản ánh, kiến nghị của bạn đã được tiếp nhận."))
    url = reverse("portal:feedback_page", args=[fb.pk])
    return redirect(f"{url}?k={key}" if key else url)


def new(request):
    form = FeedbackForm(request.POST or None, signed_in=request.user.is_authenticated)
    if request.method == "POST":
        if form.is_robot:  # looks sent; nothing is kept
            messages.success(request, _("Phản ánh, kiến nghị của bạn đã được tiếp nhận."))
            return redirect("portal:feedback_list")
        if form.is_valid():
            if "send_code" in request.POST:
                _send_code(request, form)
            else:
                try:
                    return _submit(request, form)
                except RateLimited as error:
                    form.add_error(None, error.message)
                    response = _render_new(request, form, status=429)
                    response["Retry-After"] = str(error.retry_after)
                    return response
                except DomainError as error:
                    for field, problems in (error.fields or {}).items():
                        name = field.split(".")[0]
                        form.add_error(name if name in form.fields else None, problems[0])
                    if not error.fields:
                        form.add_error(None, error.message)
    return _render_new(request, form, status=400 if form.is_bound and form.errors else 200)


def _render_new(request, form, *, status: int):
    context = {"form": form, "accept": ACCEPT, "signed_in": request.user.is_authenticated}
    return render(request, "portal/feedback/new.html", context, status=status)


def _own(request, pk):
    """(feedback, its secret key) for its submitter; None when the caller is not it."""
    key = request.POST.get("k") or request.GET.get("k") or ""
    try:
        fb, mine = queries.feedback_for(request.user, pk, key)
    except NotFound:
        return None, key
    return (fb, key) if mine else (None, key)


def page(request, pk):
    fb, key = _own(request, pk)
    if fb is None:
        public = queries.published().filter(pk=pk).first()
        if public is None:
            raise Http404(_("Không tìm thấy phản ánh, kiến nghị."))
        return render(request, "portal/feedback/public.html", {"fb": public})
    context = {
        "fb": fb,
        "key": key,
        "events": fb.events.order_by("seq"),
        "attachments": fb.attachments.select_related("file").order_by("id"),
        "deadlines": fb.deadlines.order_by("round", "due_at"),
        "actions": allowed_actions(fb, request.user, submitter=True),
        "note_form": NoteForm(),
    }
    return render(request, "portal/feedback/page.html", context)


@require_POST
def act(request, pk, action):
    fb, key = _own(request, pk)
    if fb is None or action not in ("react", "reopen", "supply_info"):
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị."))
    args = {"like": request.POST.get("like") == "1"} if action == "react" else {}
    if action != "react":
        form = NoteForm(request.POST)
        args["note"] = request.POST.get("note", "") if form.is_valid() else ""
    try:
        services.perform(fb, action, request.user, submitter=True, **args)
        messages.success(request, _("Đã ghi nhận."))
    except DomainError as error:
        problems = [p for values in (error.fields or {}).values() for p in values]
        messages.error(request, problems[0] if problems else error.message)
    url = reverse("portal:feedback_page", args=[fb.pk])
    return redirect(f"{url}?k={key}" if key else url)


def attachment(request, pk, attachment_id):
    """A file of the feedback, to its submitter; the evidence of a published answer, to all."""
    fb, _key = _own(request, pk)
    rows = FeedbackAttachment.objects.select_related("file")
    if fb is None:
        public = queries.published().filter(pk=pk).first()
        if public is None:
            raise Http404
        rows = rows.filter(feedback=public, purpose=FeedbackAttachment.Purpose.EVIDENCE)
    else:
        rows = rows.filter(feedback=fb)
    found = rows.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    return private_file_response(found.file, inline=found.file.content_type != "application/pdf")
