"""Account forms: they shape and check input; services decide and write."""

from collections.abc import Callable

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.core import ids
from motcua.core.errors import RateLimited
from motcua.core.ratelimit import check_rate
from motcua.core.services import username_for_login

# Password sign-ins per account, from any address: 20 in 15 minutes.
SIGN_IN_LIMIT_PER_ACCOUNT = (20, 15 * 60)


class _CheckedNumberField(forms.CharField):
    """A number typed from a card or a certificate: spaces dropped, then checked by the one
    rule of `core.ids`. Empty is for `required` (or the form) to judge."""

    check: Callable[[str], bool]
    message: str
    code: str

    def __init__(self, *, autocomplete: str = "", **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})
        if autocomplete:
            self.widget.attrs["autocomplete"] = autocomplete

    @staticmethod
    def normalise(value: str) -> str:
        return (value or "").replace(" ", "")

    def clean(self, value):
        value = super().clean(self.normalise(value))
        if value and not self.check(value):
            raise forms.ValidationError(self.message, code=self.code)
        return value


class IdNumberField(_CheckedNumberField):
    """The 12-digit personal ID number (số định danh cá nhân / CCCD)."""

    check = staticmethod(ids.is_id_number)
    message = ids.ID_NUMBER_MESSAGE
    code = "id_number"

    def __init__(self, *, autocomplete: str = "username", **kwargs):
        kwargs.setdefault("label", _("Số định danh cá nhân (CCCD)"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("help_text", _("12 chữ số, in trên thẻ căn cước."))
        super().__init__(autocomplete=autocomplete, **kwargs)


class TaxCodeField(_CheckedNumberField):
    """An organisation's tax code (mã số thuế): 10 digits, or 10-3 for a branch, with its
    check digit."""

    check = staticmethod(ids.is_tax_code)
    normalise = staticmethod(ids.normalise_tax_code)
    message = ids.TAX_CODE_MESSAGE
    code = "tax_code"

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mã số thuế"))
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault(
            "help_text", _("10 chữ số; chi nhánh thêm 3 chữ số (không cần gõ dấu gạch).")
        )
        super().__init__(**kwargs)


class OrganisationForm(forms.Form):
    tax_code = TaxCodeField()
    name = forms.CharField(
        label=_("Tên tổ chức"),
        max_length=300,
        required=False,
        help_text=_("Như trên giấy chứng nhận đăng ký doanh nghiệp."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ trụ sở"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    title = forms.CharField(
        label=_("Chức vụ của bạn"),
        max_length=150,
        help_text=_("Ví dụ: Giám đốc, người được ủy quyền."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )


class SignInForm(AuthenticationForm):
    """Citizens sign in with their ID number and password."""

    username = IdNumberField()
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Số định danh hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ tổng đài hỗ trợ."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = ""
        self.fields["password"].label = _("Mật khẩu")

    def clean(self):
        login = self.cleaned_data.get("username")
        if login:
            # Lockout counts per account and address; this also slows one account guessed
            # from many addresses.
            try:
                check_rate(self.request, "sign-in-user", *SIGN_IN_LIMIT_PER_ACCOUNT, key=login)
            except RateLimited as exc:
                minutes = max(1, -(-exc.retry_after // 60))
                raise forms.ValidationError(
                    _(
                        "Có quá nhiều lần đăng nhập vào tài khoản này. Vui lòng thử lại sau %(minutes)s phút."
                    ),
                    code="rate_limited",
                    params={"minutes": minutes},
                ) from None
            self.cleaned_data["username"] = username_for_login(login)
        return super().clean()


PASSWORD_HELP = _("Ít nhất 8 ký tự, không chỉ gồm chữ số, không quá dễ đoán.")


def new_password_field(label, help_text="") -> forms.CharField:
    """A new password as browsers expect it (their password managers offer one)."""
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def check_passwords_match(form, data: dict, first: str, second: str) -> None:
    if data.get(first) and data.get(second) != data[first]:
        form.add_error(second, _("Hai mật khẩu không giống nhau."))


class SignUpForm(forms.Form):
    id_number = IdNumberField()
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=15,
        required=False,
        help_text=_("Mã xác nhận sẽ được gửi tới số này."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử (nếu có)"),
        max_length=254,
        required=False,
        help_text=_("Dùng khi bạn không có số điện thoại."),
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    password1 = new_password_field(_("Mật khẩu"), PASSWORD_HELP)
    password2 = new_password_field(_("Nhập lại mật khẩu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].widget.attrs["autocomplete"] = "username"

    def clean_phone(self):
        value = ids.normalise_phone(self.cleaned_data["phone"])
        if value and not ids.is_phone(value):
            raise forms.ValidationError(
                _("Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 0)."), code="phone"
            )
        return value

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error(
                "phone", _("Vui lòng nhập số điện thoại hoặc thư điện tử để nhận mã xác nhận.")
            )
        check_passwords_match(self, data, "password1", "password2")
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác nhận"),
        max_length=8,
        help_text=_("6 chữ số trong tin nhắn hoặc thư chúng tôi vừa gửi."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )


CHANNEL_CHOICES = [("sms", _("Tin nhắn SMS")), ("email", _("Thư điện tử"))]


class ResetStartForm(forms.Form):
    username = IdNumberField()
    channel = forms.ChoiceField(
        label=_("Nhận mã qua"), choices=CHANNEL_CHOICES, widget=forms.RadioSelect, initial="sms"
    )


class ResetCompleteForm(CodeForm):
    new_password1 = new_password_field(_("Mật khẩu mới"), PASSWORD_HELP)
    new_password2 = new_password_field(_("Nhập lại mật khẩu mới"))

    def clean(self):
        data = super().clean()
        check_passwords_match(self, data, "new_password1", "new_password2")
        return data


class ContactChangeForm(forms.Form):
    """A new phone and/or e-mail; a field left empty keeps the contact as it is."""

    phone = forms.CharField(
        label=_("Số điện thoại mới"),
        max_length=15,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử mới"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        help_text=_("Để chắc chắn chính bạn đang đổi."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
