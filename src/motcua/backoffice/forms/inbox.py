"""The inbox filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Channel, Status


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Mã hồ sơ, tên hoặc số định danh người nộp"), required=False, max_length=100
    )
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả"))] + [c for c in Status.choices if c[0] != Status.DRAFT],
    )
    channel = forms.ChoiceField(
        label=_("Kênh nộp"), required=False, choices=[("", _("Tất cả")), *Channel.choices]
    )

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Tất cả"))] + [
            (code, f"{name} ({code})") for code, name in procedures
        ]
        self.fields["q"].widget.input_type = "search"
