"""Forms of the vault pages and the verification page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.vault.models import Kind

UPLOAD_KINDS = [(k, label) for k, label in Kind.choices if k != Kind.RESULT]
SHARE_CHOICES = [
    ("1", _("1 giờ")),
    ("24", _("1 ngày")),
    ("168", _("7 ngày")),
    ("720", _("30 ngày")),
]
PDF_ONLY = "application/pdf"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp giấy tờ (PDF, JPEG, PNG)"))
    kind = forms.ChoiceField(label=_("Loại giấy tờ"), choices=UPLOAD_KINDS)
    title = forms.CharField(label=_("Tên giấy tờ"), max_length=300)
    issuer = forms.CharField(label=_("Cơ quan cấp"), max_length=300, required=False)
    issued_on = forms.DateField(
        label=_("Ngày cấp"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Ngày hết hạn"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ShareForm(forms.Form):
    hours = forms.ChoiceField(label=_("Thời hạn của liên kết"), choices=SHARE_CHOICES)

    def hours_value(self) -> int:
        return int(self.cleaned_data["hours"])


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kết quả cần kiểm tra (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": PDF_ONLY}),
    )
