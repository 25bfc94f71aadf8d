"""Account pages: thin views over `accounts.services` and `accounts.queries`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError
from motcua.core.messaging import mask_recipient

from . import oidc, queries, services
from .forms import (
    CodeForm,
    ContactChangeForm,
    OrganisationForm,
    ResetCompleteForm,
    ResetStartForm,
    SignInForm,
    SignUpForm,
)
from .models import OneTimeCode

RESET_SESSION_KEY = "accounts_reset"


def add_domain_errors(form, exc: DomainError) -> None:
    """A service's refusal shown on the form: next to each field it names, else on top."""
    placed = False
    for field, errors in (exc.fields or {}).items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "oidc_enabled": bool(settings.OIDC_ISSUER),
            "oidc_name": settings.OIDC_PROVIDER_NAME,
        }


class SignOutView(auth_views.LogoutView):
    next_page = "portal:home"


@login_required
def organisations(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            representation = services.declare_representation(request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã thêm %(name)s vào danh sách tổ chức bạn đại diện.")
                % {"name": representation.organisation.name},
            )
            return redirect("accounts:organisations")
    return render(
        request,
        "accounts/organisations.html",
        {"form": form, "representations": queries.representations_of(request.user)},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def organisation_withdraw(request, pk):
    try:
        services.withdraw_representation(request.user, pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa tổ chức khỏi danh sách của bạn."))
    return redirect("accounts:organisations")


CHANNEL_NAMES = {
    OneTimeCode.Channel.SMS: _lazy("số điện thoại"),
    OneTimeCode.Channel.EMAIL: _lazy("thư điện tử"),
}


@login_required
def contacts(request):
    """The account's phone and e-mail, and the form to change them."""
    user = request.user
    form = ContactChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.request_contact_change(request, user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            for recipient in sent.values():
                messages.success(request, _("Đã gửi mã xác nhận tới %(to)s.") % {"to": recipient})
            return redirect("accounts:contacts_confirm")
    return render(
        request,
        "accounts/contacts.html",
        {
            "form": form,
            "contacts": queries.contacts_with_status(user),
            "pending": queries.pending_contact_changes(user),
        },
        status=422 if form.errors else 200,
    )


@login_required
def contacts_confirm(request):
    """One code form per new contact waiting for its code."""
    user = request.user
    pending = queries.pending_contact_changes(user)
    channel = request.POST.get("channel") if request.method == "POST" else None
    if request.method == "POST" and channel not in pending:
        messages.error(request, _("Mã đã hết hạn. Hãy nhập lại liên hệ mới để nhận mã mới."))
        return redirect("accounts:contacts")
    if not pending:
        return redirect("accounts:contacts")
    posted = CodeForm(request.POST, prefix=channel) if channel else None
    if posted is not None and posted.is_valid():
        try:
            new = services.confirm_contact_change(user, channel, posted.cleaned_data["code"])
        except DomainError as exc:
            add_domain_errors(posted, exc)
        else:
            messages.success(
                request,
                _("Đã đổi %(what)s của tài khoản thành %(new)s.")
                % {"what": CHANNEL_NAMES[channel], "new": new},
            )
            del pending[channel]
            return redirect("accounts:contacts_confirm" if pending else "accounts:contacts")
    forms = [
        {
            "channel": each,
            "recipient": recipient,
            "form": posted if each == channel else CodeForm(prefix=each),
        }
        for each, recipient in pending.items()
    ]
    return render(
        request,
        "accounts/contacts_confirm.html",
        {"forms": forms},
        status=422 if posted is not None and posted.errors else 200,
    )


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _send_confirmation(request, user, channel: str | None = None) -> bool:
    """Send a confirmation code to the account's phone (or the channel asked for)."""
    contacts = services.contacts_of(user)
    channel = channel if channel in contacts else next(iter(contacts), None)
    if channel is None:
        messages.error(request, _("Tài khoản chưa có số điện thoại hoặc thư điện tử."))
        return False
    try:
        services.send_code(request, user, OneTimeCode.Purpose.CONFIRM, channel, contacts[channel])
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(
        request,
        _("Đã gửi mã xác nhận tới %(to)s.") % {"to": mask_recipient(contacts[channel])},
    )
    return True


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:confirm")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.sign_up(
                request,
                id_number=data["id_number"],
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            # Signed in at once: the account may look around, but submits only once confirmed.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            _send_confirmation(request, user)
            return redirect("accounts:confirm")
    return render(
        request, "accounts/sign_up.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def confirm(request):
    user = request.user
    if queries.is_confirmed(user) and request.method == "GET":
        return render(request, "accounts/confirmed.html")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_contact(user, form.cleaned_data["code"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã xác nhận. Bạn có thể nộp hồ sơ trực tuyến."))
            return redirect(_safe_next(request, "/ho-so-cua-toi/"))
    contacts = {
        channel: mask_recipient(value) for channel, value in services.contacts_of(user).items()
    }
    return render(
        request,
        "accounts/confirm.html",
        {"form": form, "contacts": contacts},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def confirm_resend(request):
    _send_confirmation(request, request.user, request.POST.get("channel"))
    return redirect("accounts:confirm")


def reset_start(request):
    form = ResetStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.start_password_reset(
                request, form.cleaned_data["username"], form.cleaned_data["channel"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            # The next page looks the same whether the account exists or not.
            request.session[RESET_SESSION_KEY] = user.pk if user else None
            messages.success(
                request,
                _(
                    "Nếu số định danh có tài khoản với liên hệ đã chọn, mã đặt lại mật khẩu "
                    "đã được gửi tới đó."
                ),
            )
            return redirect("accounts:reset_complete")
    return render(
        request, "accounts/reset_start.html", {"form": form}, status=422 if form.errors else 200
    )


def reset_complete(request):
    if RESET_SESSION_KEY not in request.session:
        return redirect("accounts:reset")
    user_id = request.session[RESET_SESSION_KEY]
    user = services.User.objects.filter(pk=user_id).first() if user_id else None
    form = ResetCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if user is None:
                services.refuse_unknown_code()
            services.complete_password_reset(user, data["code"], data["new_password1"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            del request.session[RESET_SESSION_KEY]
            messages.success(request, _("Đã đặt mật khẩu mới. Mời bạn đăng nhập."))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/reset_complete.html",
        {"form": form, "user_for_form": user or AnonymousUser()},
        status=422 if form.errors else 200,
    )


@require_POST
def oidc_start(request):
    if not oidc.enabled():
        raise Http404
    redirect_uri = request.build_absolute_uri(reverse("accounts:oidc_callback"))
    try:
        url = oidc.authorization_url(request.session, redirect_uri, _safe_next(request, ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:login")
    return HttpResponseRedirect(url)


def oidc_callback(request):
    if not oidc.enabled():
        raise Http404
    try:
        claims, next_url = oidc.finish(request.session, request.GET)
        user = services.account_for_identity(claims, provider=settings.OIDC_ISSUER)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[oidc.VERIFIED_SESSION_KEY] = True
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(settings.LOGIN_REDIRECT_URL)
