"""The citizen's vault pages ("Kho dữ liệu của tôi"), the public verification page of a
signed result, and shared links. Thin: the vault's services and queries do the work; every
form works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.downloads import private_file_response
from motcua.core.errors import DomainError, Gone, NotFound, RateLimited
from motcua.core.ratelimit import check_rate, client_ip
from motcua.dossiers.files import store_file
from motcua.vault import queries, results, services
from motcua.vault.models import Kind

from .forms import ShareForm, UploadForm, VerifyForm

PAGE_SIZE = 20


def _owned(request, pk):
    try:
        return services.owned(request.user, pk)
    except NotFound:
        raise Http404(_("Không tìm thấy giấy tờ.")) from None


def verify(request, token):
    try:
        verification = results.verify_token(token)
    except NotFound:
        raise Http404(_("Không tìm thấy kết quả điện tử với mã kiểm tra này.")) from None
    return render(
        request,
        "portal/vault/verify.html",
        {"verification": verification, "form": VerifyForm()},
    )


def verify_upload(request):
    verification, form = None, VerifyForm()
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        try:
            check_rate(request, "verify-upload", 30, 60)
        except RateLimited as limited:
            form.add_error(None, limited.message)
        if form.is_valid():
            try:
                verification = results.verify_upload(
                    results.read_pdf_upload(form.cleaned_data["file"])
                )
            except DomainError as error:
                form.add_error("file", error.message)
    return render(request, "portal/vault/verify.html", {"verification": verification, "form": form})


def shared(request, token):
    try:
        document = services.open_share(
            token,
            address=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except NotFound:
        raise Http404(_("Không tìm thấy liên kết chia sẻ.")) from None
    except Gone as gone:
        return render(request, "portal/vault/gone.html", {"message": gone.message}, status=410)
    return private_file_response(document.file, inline=True)


@login_required
def vault(request):
    today = timezone.localdate()
    show_hidden = request.GET.get("an") == "1"
    rows = queries.documents_of(request.user, include_hidden=show_hidden)
    kind = request.GET.get("loai", "")
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/vault/vault.html",
        {
            "page": page,
            "documents": page.object_list,
            "today": today,
            "kinds": Kind.choices,
            "kind": kind,
            "show_hidden": show_hidden,
            "upload_form": UploadForm(),
        },
    )


@login_required
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stored = store_file(data["file"], data["file"].name, request.user)
            services.add_document(
                request.user,
                file_id=stored.pk,
                kind=data["kind"],
                title=data["title"],
                issuer=data["issuer"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu giấy tờ vào kho dữ liệu."))
            return redirect("portal:vault")
    return render(request, "portal/vault/upload.html", {"form": form})


@login_required
def document(request, pk):
    item = _owned(request, pk)
    now = timezone.now()
    shares = [(s, s.live(now)) for s in item.shares.order_by("-created_at")]
    return render(
        request,
        "portal/vault/document.html",
        {
            "document": item,
            "shares": shares,
            "share_form": ShareForm(),
            "new_share": request.session.pop("vault_new_share", ""),
            "signed": item.dossier_id and results.latest_signed(item.dossier),
        },
    )


@login_required
def download(request, pk):
    item = _owned(request, pk)
    return private_file_response(item.file, inline=request.GET.get("xem") == "1")


@login_required
@require_POST
def remove(request, pk):
    item = _owned(request, pk)
    if request.POST.get("hien") == "1":
        services.show_document(request.user, item.pk)
        messages.success(request, _("Đã hiện lại giấy tờ."))
        return redirect("portal:vault_document", pk=item.pk)
    done = services.remove_document(request.user, item.pk)
    if done == "hidden":
        messages.success(request, _("Đã ẩn kết quả (kết quả do cơ quan cấp không thể xóa)."))
    else:
        messages.success(request, _("Đã xóa giấy tờ khỏi kho dữ liệu."))
    return redirect("portal:vault")


@login_required
@require_POST
def share(request, pk):
    item = _owned(request, pk)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            made = services.share_document(request.user, item.pk, form.hours_value())
        except DomainError as error:
            messages.error(request, error.message)
        else:
            request.session["vault_new_share"] = request.build_absolute_uri(f"/shared/{made.token}")
            messages.success(request, _("Đã tạo liên kết chia sẻ."))
    else:
        messages.error(request, _("Thời hạn chia sẻ không hợp lệ."))
    return redirect("portal:vault_document", pk=item.pk)


@login_required
@require_POST
def revoke(request, token):
    try:
        made = services.revoke_share(request.user, token)
    except NotFound:
        raise Http404(_("Không tìm thấy liên kết chia sẻ.")) from None
    messages.success(request, _("Đã thu hồi liên kết chia sẻ."))
    return redirect("portal:vault_document", pk=made.document_id)


@login_required
def access_log(request):
    kind = request.GET.get("loai") or None
    if kind not in queries.LOG_KINDS:
        kind = None
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    entries, total = queries.access_log(
        request.user, kind=kind, offset=(number - 1) * PAGE_SIZE, size=PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        "portal/vault/access_log.html",
        {
            "entries": entries,
            "total": total,
            "number": number,
            "pages": pages,
            "kinds": queries.LOG_KINDS.items(),
            "kind": kind or "",
        },
    )
