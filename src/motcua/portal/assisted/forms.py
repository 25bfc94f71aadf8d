"""Forms of assisted submission ("Nộp hộ"): for whom and how the citizen consented, then
the consent itself (the signed form's scan, the citizen present, or the code they read out)."""

import uuid

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import ids
from motcua.dossiers.files import ACCEPTED

METHODS = [
    (
        "otp",
        gettext_lazy("Mã xác nhận gửi tới điện thoại của công dân"),
        gettext_lazy("Công dân đọc cho bạn mã gồm 6 chữ số nhận qua tin nhắn."),
    ),
    (
        "in_person",
        gettext_lazy("Công dân có mặt và đồng ý trực tiếp"),
        gettext_lazy("Bạn đang ở cùng công dân, công dân nghe và đồng ý."),
    ),
    (
        "paper",
        gettext_lazy("Phiếu đồng ý có chữ ký của công dân"),
        gettext_lazy("Bạn tải lên bản quét hoặc ảnh chụp phiếu đã ký."),
    ),
]
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png," + ",".join(ACCEPTED)


def _id_number(value: str) -> str:
    return "".join((value or "").split())


class ForWhomForm(forms.Form):
    """Step 1: the citizen, where the dossier goes, and how they consent."""

    citizen = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân của công dân"),
        help_text=gettext_lazy("12 chữ số, in trên thẻ căn cước của công dân."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Nhập số định danh cá nhân của công dân.")},
    )
    agency = forms.ChoiceField(
        label=gettext_lazy("Cơ quan tiếp nhận hồ sơ"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Chọn cơ quan tiếp nhận hồ sơ.")},
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Công dân đồng ý cho bạn nộp hộ bằng cách nào?"),
        widget=forms.RadioSelect,
        choices=[(key, label) for key, label, _hint in METHODS],
        error_messages={"required": gettext_lazy("Chọn cách công dân đồng ý cho bạn nộp hộ.")},
    )

    def __init__(self, *args, helper, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].code

    def clean_citizen(self) -> str:
        value = _id_number(self.cleaned_data["citizen"])
        if not ids.is_id_number(value):
            raise forms.ValidationError(ids.ID_NUMBER_MESSAGE)
        if value == (self.helper.id_number or ""):
            raise forms.ValidationError(
                _("Đây là số định danh của chính bạn: hãy nộp hồ sơ như công dân.")
            )
        return value

    def hints(self) -> dict:
        return {key: hint for key, _label, hint in METHODS}


class ConsentForm(forms.Form):
    """Step 2: the consent, as the method chosen needs it."""

    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    full_name = forms.CharField(
        label=gettext_lazy("Họ và tên công dân"),
        help_text=gettext_lazy(
            "Chỉ cần nhập khi hệ thống không tra cứu được công dân trong Cơ sở dữ liệu quốc gia "
            "về dân cư."
        ),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú về sự đồng ý (không bắt buộc)"),
        help_text=gettext_lazy("Ví dụ: người chứng kiến, nơi gặp công dân."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method
        if not self.is_bound:
            self.fields["key"].initial = uuid.uuid4().hex
        if method == "in_person":
            self.fields["present"] = forms.BooleanField(
                label=gettext_lazy(
                    "Công dân đang có mặt, đã nghe tôi giải thích và đồng ý để tôi nộp hộ hồ sơ "
                    "này."
                ),
                error_messages={
                    "required": gettext_lazy("Cần xác nhận công dân có mặt và đồng ý.")
                },
            )
        elif method == "paper":
            self.fields["scan"] = forms.FileField(
                label=gettext_lazy("Bản quét hoặc ảnh chụp phiếu đồng ý đã ký"),
                widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
                error_messages={
                    "required": gettext_lazy("Tải lên bản quét phiếu đồng ý có chữ ký."),
                    "empty": gettext_lazy("Tệp tải lên không có nội dung."),
                },
            )
        elif method == "otp":
            self.fields["code"] = forms.CharField(
                label=gettext_lazy("Mã xác nhận công dân đọc cho bạn"),
                help_text=gettext_lazy("6 chữ số."),
                max_length=12,
                required=False,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
                ),
            )
        self.order_fields(["present", "scan", "code", "note", "full_name"])

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())


class SendCodeForm(forms.Form):
    """Sending the one-time code: the citizen's phone, used when they have no account."""

    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại của công dân"),
        help_text=gettext_lazy(
            "Khi công dân đã có tài khoản, mã được gửi tới số điện thoại của tài khoản đó."
        ),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def clean_phone(self) -> str:
        value = ids.normalise_phone(self.cleaned_data["phone"])
        if value and not ids.is_phone(value):
            raise forms.ValidationError(_("Số điện thoại không hợp lệ."))
        return value
