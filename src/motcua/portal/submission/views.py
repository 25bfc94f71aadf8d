"""Online submission pages: start, task list, one page per part of the e-form, attachments,
check your answers, submit. Thin views over dossiers.drafts; every step works without
JavaScript (htmx and a small script only improve the address and conditional questions)."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalog import queries as catalog
from motcua.core.errors import AccountNotConfirmed, DomainError, NotFound, ValidationFailed
from motcua.dossiers import drafts, eform
from motcua.dossiers.files import ACCEPTED, max_upload_bytes
from motcua.dossiers.models import Draft, Status

from ..views import _published_or_404
from .forms import (
    PageForm,
    StartForm,
    arrays_of,
    count_name,
    merge,
    pages_of,
    schema_errors,
    shape,
)

MAX_ITEMS = 50  # items of one repeating group on a page
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx," + ",".join(ACCEPTED)


def _signed_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _editable_draft(*methods):
    """A page of a draft still being written (signed in, the owner's, else 404; once
    submitted, a redirect to its confirmation): the view gets the draft itself."""

    def decorate(view):
        @_signed_in
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            dossier, gone = _editable(request, pk)
            return gone or view(request, dossier, *args, **kwargs)

        return wrapper

    return decorate


def _organisations(user):
    """The organisations the user represents (accounts), none before accounts exist."""
    try:
        from motcua.accounts.queries import organisations_of
    except ImportError:
        return []
    return list(organisations_of(user))


def _draft(request, pk):
    try:
        dossier = drafts.owned(request.user, pk)
    except NotFound:
        raise Http404(_("Không tìm thấy hồ sơ nháp.")) from None
    return dossier


def submitted_url(dossier) -> str:
    """The tracking confirmation page of a submitted dossier."""
    try:
        if dossier.helper_user_id:  # submitted for a citizen: the helper's confirmation
            return reverse("portal:assisted_submitted", args=[dossier.code])
        return reverse("portal:dossier_submitted", args=[dossier.code])
    except NoReverseMatch:  # the tracking pages are not installed
        return f"/ho-so-cua-toi/{dossier.code}/da-nop/"


def _editable(request, pk):
    """(draft, None) while it is a draft, else (None, a redirect to its confirmation)."""
    dossier = _draft(request, pk)
    if dossier.status != Status.DRAFT:
        return None, redirect(submitted_url(dossier))
    return dossier, None


def _layout(dossier, answers=None):
    procedure = dossier.procedure
    return eform.layout(procedure.form_schema, procedure.form_ui, answers or dossier.form)


def _state(dossier) -> Draft:
    return Draft.objects.get(dossier=dossier)


def procedure_submit(request, code):
    """Where the QR code leads: what to prepare, then (signed in) where and as whom."""
    procedure = _published_or_404(code)
    online = "online" in procedure.channels and procedure.online_level != "none"
    agencies = [a for a in procedure.agencies.all() if a.is_active]
    context = {
        "procedure": procedure,
        "online": online,
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?next={request.path}",
    }
    if online and request.user.is_authenticated and agencies:
        form = StartForm(
            request.POST or None,
            agencies=agencies,
            organisations=_organisations(request.user),
            kinds=procedure.applicant_kinds,
        )
        if request.method == "POST" and form.is_valid():
            try:
                dossier = drafts.start(
                    request.user,
                    procedure.code,
                    form.cleaned_data["agency"],
                    organisation=form.organisation(),
                    key=form.cleaned_data["key"],
                )
            except ValidationFailed as refused:
                for messages in (refused.fields or {}).values():
                    for message in messages:
                        form.add_error(None, message)
            else:
                return redirect("portal:draft", dossier.pk)
        context["form"] = form
        context["summary"] = _summary(form)
        context["drafts"] = drafts.drafts_of(request.user).filter(procedure__code=code)
    elif request.method == "POST":
        return redirect_to_login(request.get_full_path())
    return render(request, "portal/procedure_submit.html", context)


@_signed_in
@require_GET
def draft_list(request):
    rows = [(d, drafts.expires_at(d)) for d in drafts.drafts_of(request.user)]
    return render(request, "portal/submit/drafts.html", {"rows": rows})


def _task_rows(dossier, pages, state):
    done = set(state.done)
    return [(page, page.key in done) for page in pages]


def _components_done(dossier) -> bool:
    given = {c.spec_id for c in dossier.components.all()}
    return all(spec.pk in given for spec in dossier.procedure.components.all() if spec.required)


@_editable_draft("GET")
def draft(request, dossier):
    pages = pages_of(_layout(dossier))
    return render(
        request,
        "portal/submit/tasks.html",
        {
            "dossier": dossier,
            "tasks": _task_rows(dossier, pages, _state(dossier)),
            "components_done": _components_done(dossier),
            "expires_at": drafts.expires_at(dossier),
        },
    )


def _counts(request, page) -> dict[tuple, int]:
    """Items of each repeating group on the page (by its path), as posted (then added or
    removed)."""
    counts = {}
    for path in arrays_of(page):
        try:
            counts[path] = max(1, min(int(request.POST.get(count_name(path), 1)), MAX_ITEMS))
        except ValueError:
            counts[path] = 1
    return counts


@_editable_draft("GET", "POST")
def draft_page(request, dossier, number):
    state = _state(dossier)
    pages = pages_of(_layout(dossier))
    if number >= len(pages):
        raise Http404(_("Không có trang này."))
    page = pages[number]
    back_to_check = request.GET.get("tu") == "kiem-tra"
    if request.method == "POST":
        action = request.POST.get("action", "continue")
        counts = _counts(request, page)
        shaped = pages_of(_layout(dossier, shape(dossier.form, counts)))[number]
        form = PageForm(request.POST, page=shaped, answers=dossier.form, prefilled=state.prefilled)
        form.is_valid()
        removed = action.startswith("remove:") and action.split(":", 1)[1]
        answers = merge(dossier.form, shaped, form.page_answers(remove=removed or ""))
        answers = eform.prune(_layout(dossier, answers), answers)
        if action == "continue":
            names = {leaf.name for leaf in form.asked}
            schema = dossier.procedure.form_schema or {}
            for name, messages in schema_errors(schema, answers, names).items():
                if name not in form.fields:
                    name = None
                elif form.errors.get(name):
                    continue  # the field's own message says more (a bad date, a bad number)
                for message in messages:
                    form.add_error(name, message)
        ok = action == "continue" and not form.errors
        drafts.save_answers(dossier, request.user, answers, page=page.key, done=ok)
        if ok:
            if back_to_check:
                return redirect("portal:draft_check", dossier.pk)
            if number + 1 >= len(pages):
                return redirect("portal:draft_attachments", dossier.pk)
            return redirect("portal:draft_page", dossier.pk, number + 1)
        if action == "leave":
            return redirect(_drafts_home(dossier))
        if action != "continue":
            # Add or remove an item, or list the communes of the province chosen: the page
            # again with what was saved, without errors.
            counts = {path: len(_items_at(answers, path)) for path in counts}
            added = tuple(action[4:].split(".")) if action.startswith("add:") else None
            if added in counts:
                counts[added] = min(counts[added] + 1, MAX_ITEMS)
            shaped = pages_of(_layout(dossier, shape(answers, counts)))[number]
            form = PageForm(page=shaped, answers=answers, prefilled=state.prefilled)
    else:
        form = PageForm(page=page, answers=dossier.form, prefilled=state.prefilled)
    return render(
        request,
        "portal/submit/page.html",
        {
            "dossier": dossier,
            "page": form.page,
            "pages": pages,
            "form": form,
            "summary": _summary(form),
            "back_to_check": back_to_check,
        },
    )


def _items_at(answers: dict, path: tuple) -> list:
    given = eform.value_at(answers, path)
    return given if isinstance(given, list) else []


def _summary(form) -> list[tuple[str, str]]:
    """(anchor, message) of every error on the page, for the summary at the top."""
    if not form.is_bound:
        return []
    rows = []
    for name, messages in form.errors.items():
        if name in form.fields:
            bound = form[name]
            anchor = bound.id_for_label or bound.auto_id
            for message in messages:
                rows.append((anchor, f"{bound.label}: {message}"))
        else:
            rows += [("", message) for message in messages]
    return rows


@_editable_draft("GET", "POST")
def draft_attachments(request, dossier):
    problem = None
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                drafts.remove(dossier, request.user, request.POST["remove"])
            elif request.POST.get("vault_document"):
                drafts.attach_from_vault(
                    dossier, request.user, request.POST.get("spec"), request.POST["vault_document"]
                )
            else:
                upload = request.FILES.get("file") or request.FILES.get("photo")
                if upload is None:
                    raise ValidationFailed(_("Chọn tệp để tải lên."))
                drafts.attach(dossier, request.user, request.POST.get("spec"), upload, upload.name)
        except DomainError as refused:
            problem = (
                request.POST.get("spec"),
                refused.message
                if refused.fields is None
                else next(iter(refused.fields.values()))[0],
            )
        else:
            return redirect(
                reverse("portal:draft_attachments", args=[dossier.pk])
                + "#tp-"
                + str(request.POST.get("spec", ""))
            )
    components = list(dossier.components.select_related("file"))
    specs = [
        (
            spec,
            [c for c in components if c.spec_id == spec.pk],
            drafts.vault_documents(request.user, spec),
            problem[1] if problem and str(problem[0]) == str(spec.pk) else None,
        )
        for spec in dossier.procedure.components.all()
    ]
    response = render(
        request,
        "portal/submit/attachments.html",
        {
            "dossier": dossier,
            "specs": specs,
            "problem": problem,
            "problem_summary": [(f"tep-{problem[0]}", problem[1])] if problem else [],
            "accept": ACCEPT,
            "max_mb": max_upload_bytes() // (1024 * 1024),
            "done": _components_done(dossier),
        },
        status=422 if problem else 200,
    )
    return response


@_editable_draft("GET", "POST")
def draft_check(request, dossier):
    problems = []
    if request.method == "POST":
        try:
            submitted = drafts.submit(dossier, request.user)
        except ValidationFailed as refused:
            problems = _problems(dossier, refused.fields or {})
        except AccountNotConfirmed:
            # The draft stays as it is; confirming brings the citizen back here to submit.
            confirm = reverse("accounts:confirm") + "?next=" + request.path
            problems = [
                (
                    confirm,
                    _(
                        "Tài khoản của bạn chưa được xác nhận: hãy nhập mã đã gửi tới điện "
                        "thoại hoặc thư điện tử của bạn, rồi nộp hồ sơ."
                    ),
                )
            ]
        else:
            return redirect(submitted_url(submitted))
    pages = pages_of(_layout(dossier))
    return render(
        request,
        "portal/submit/check.html",
        {
            "dossier": dossier,
            "answers": _shown_pages(dossier, pages),
            "components": list(dossier.components.select_related("spec", "file")),
            "problems": problems,
        },
        status=422 if problems else 200,
    )


def _problems(dossier, fields) -> list[tuple[str, str]]:
    """(link, message) for each reason a submission was refused: a form answer links to its
    page, a missing component to the attachments page."""
    pages = pages_of(_layout(dossier))
    where = {leaf.name: page for page in pages for leaf in page.leaves}
    titles = {leaf.name: leaf.title for page in pages for leaf in page.leaves}
    rows = []
    for path, messages in fields.items():
        name = eform.field_name(path)
        if name is not None:
            owner = next((n for n in where if n == name or n.startswith(name + eform.SEP)), None)
            link = reverse("portal:draft_attachments", args=[dossier.pk])
            label = titles.get(owner, path)
            if owner is not None:
                link = (
                    reverse("portal:draft_page", args=[dossier.pk, where[owner].number])
                    + "?tu=kiem-tra#id_"
                    + owner
                )
            rows += [(link, f"{label}: {_(m)}") for m in messages]
        else:
            link = reverse("portal:draft_attachments", args=[dossier.pk])
            rows += [(link, _(m)) for m in messages]
    return rows


def _shown_pages(dossier, pages):
    """[(page, [(title, text)])] of the answers, by page, for the check page; an item of a
    repeating group under its group's title and number."""
    shown = []
    for page in pages:
        rows = []
        for group in page.groups:
            for leaf in group.leaves:
                if leaf.conditions and not leaf.shown(dossier.form):
                    continue
                value = eform.value_at(dossier.form, leaf.path)
                title = leaf.title
                if group.array is not None:  # an item: "Con (2) — Họ và tên"
                    title = f"{group.title} — {leaf.title}"
                rows.append((title, eform._display(value)))
        shown.append((page, rows))
    return shown


@_editable_draft("POST")
def draft_discard(request, dossier):
    drafts.discard(dossier, request.user)
    return redirect(_drafts_home(dossier))


def _drafts_home(dossier) -> str:
    """Where a draft's writer keeps their drafts: a helper's are on the assisted page."""
    return "portal:assisted_home" if dossier.helper_user_id else "portal:draft_list"


@require_GET
def communes(request):
    """The commune list of a province, for htmx to swap in after a province is chosen."""
    field = request.GET.get("field", "")
    if not field.startswith(eform.PREFIX + eform.SEP) or not field.endswith("__commune"):
        raise Http404(_("Không có trường này."))
    province = request.GET.get(field[: -len("commune")] + "province", "")
    html = render_to_string(
        "portal/submit/_communes.html",
        {"name": field, "names": catalog.commune_names(province)},
        request=request,
    )
    return HttpResponse(html)
