"""Signing in to the back office: the officer's password, then their authenticator's code."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.accounts.forms import CodeForm
from motcua.catalog.models import OfficerRole


class SecondFactorForm(CodeForm):
    """The code of the officer's authenticator app (TOTP)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Mã xác thực 6 chữ số")
        self.fields["code"].help_text = _(
            "Mở ứng dụng xác thực trên điện thoại và nhập mã đang hiển thị."
        )


class OfficerAuthenticationForm(AuthenticationForm):
    """Only accounts holding an officer role get into the back office."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "not_officer": _("Tài khoản này không phải tài khoản cán bộ một cửa."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not OfficerRole.objects.filter(user=user).exists():
            raise forms.ValidationError(self.error_messages["not_officer"], code="not_officer")
