"""The back office's feedback pages (phản ánh, kiến nghị): the inbox of the officer's
agencies with the dossier inbox's tabs, and the page of one feedback with the actions the
officer's role allows, its deadlines and their verdicts, and a link to its dossier.

Thin views: reads through `feedback.queries`, every change through `feedback.services`.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.catalog.models import Agency
from motcua.core.downloads import private_file_response
from motcua.core.errors import DomainError, NotFound
from motcua.core.paging import page_of
from motcua.dossiers.files import store_file
from motcua.dossiers.queries import officer_roles
from motcua.feedback import queries, services
from motcua.feedback.display import action_label
from motcua.feedback.models import RefusalReason
from motcua.feedback.services.workflow import allowed_actions

from .views import officer_required

TABS = {
    "to_accept": gettext_lazy("Chờ tiếp nhận"),
    "processing": gettext_lazy("Đang xử lý"),
    "awaiting_info": gettext_lazy("Chờ bổ sung thông tin"),
    "due_soon": gettext_lazy("Đến hạn trong 1 ngày làm việc"),
    "overdue": gettext_lazy("Quá hạn"),
}
MAX_FILES = 5


@officer_required
def inbox(request):
    agencies = list(officer_roles(request.user))
    tab = request.GET.get("tab")
    if tab not in TABS:
        tab = "to_accept"
    counts = {slug: queries.inbox(agencies, slug).count() for slug in TABS}
    page = page_of(request, queries.inbox(agencies, tab))
    context = {
        "tabs": [(slug, label, counts[slug]) for slug, label in TABS.items()],
        "tab": tab,
        "tab_label": TABS[tab],
        "page": page,
    }
    return render(request, "backoffice/feedback_inbox.html", context)


def _officer_feedback(user, pk):
    try:
        fb, _mine = queries.feedback_for(user, pk)
    except NotFound:
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị.")) from None
    if not queries.is_officer_of(user, fb):
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị."))
    return fb


@officer_required
def detail(request, pk):
    fb = _officer_feedback(request.user, pk)
    actions = allowed_actions(fb, request.user)
    context = {
        "fb": fb,
        "submitter": fb.submitter,
        "events": fb.events.select_related("agency").order_by("seq"),
        "attachments": fb.attachments.select_related("file").order_by("id"),
        "deadlines": fb.deadlines.order_by("round", "due_at"),
        "actions": [(a, action_label(a)) for a in actions if a not in ("react", "reopen")],
        "reasons": RefusalReason.choices,
        "agencies": Agency.objects.exclude(pk=fb.agency_id).order_by("name"),
    }
    return render(request, "backoffice/feedback.html", context)


def _args(request, action: str) -> dict:
    post = request.POST
    args = {
        "note": post.get("note", ""),
        "internal_note": post.get("internal_note", ""),
    }
    if action == "answer":
        args["answer"] = post.get("answer", "")
        uploads = request.FILES.getlist("attachments")[:MAX_FILES]
        args["attachments"] = [str(store_file(u, u.name or "", request.user).pk) for u in uploads]
    if action == "refuse":
        args["reason"] = post.get("reason", "")
    if action == "transfer":
        args["to_agency"] = post.get("to_agency", "")
    return args


@officer_required
@require_POST
def act(request, pk, action):
    fb = _officer_feedback(request.user, pk)
    try:
        services.perform(fb, action, request.user, **_args(request, action))
    except DomainError as error:
        problems = [p for values in (error.fields or {}).values() for p in values]
        messages.error(request, problems[0] if problems else error.message)
        return redirect("backoffice:feedback", pk=fb.pk)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": action_label(action)})
    if action == "transfer":
        return redirect("backoffice:feedback_inbox")
    return redirect("backoffice:feedback", pk=fb.pk)


@officer_required
def attachment(request, pk, attachment_id):
    fb = _officer_feedback(request.user, pk)
    found = fb.attachments.select_related("file").filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    return private_file_response(found.file, inline=found.file.content_type != "application/pdf")
