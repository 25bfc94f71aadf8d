"""Forms of the feedback pages (phản ánh, kiến nghị). They shape input; the feedback
services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Agency
from motcua.feedback.models import Category
from motcua.feedback.services.submission import CONTENT_MAX, TITLE_MAX

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
NOTE_MAX = 5000


class FeedbackForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), min_length=5, max_length=TITLE_MAX)
    content = forms.CharField(
        label=gettext_lazy("Nội dung phản ánh, kiến nghị"),
        min_length=10,
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Mô tả sự việc, thời gian, địa điểm cụ thể."),
    )
    category = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), choices=Category.choices)
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan được phản ánh"),
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        empty_label=gettext_lazy("— Chọn cơ quan —"),
    )
    dossier_code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ liên quan (nếu có)"), required=False, max_length=50
    )
    is_public = forms.BooleanField(
        label=gettext_lazy(
            "Đồng ý công khai nội dung và kết quả trả lời (không kèm thông tin cá nhân)"
        ),
        required=False,
        initial=True,
    )
    # Anonymous submission: a contact confirmed by a one-time code.
    name = forms.CharField(
        label=gettext_lazy("Họ và tên (không bắt buộc)"), required=False, max_length=200
    )
    contact = forms.CharField(
        label=gettext_lazy("Số điện thoại hoặc thư điện tử"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("Chúng tôi gửi mã xác nhận và kết quả xử lý tới đây."),
    )
    code_id = forms.CharField(required=False, widget=forms.HiddenInput)
    code = forms.CharField(label=gettext_lazy("Mã xác nhận"), required=False, max_length=12)
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(label=gettext_lazy("Để trống ô này"), required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            for name in ("name", "contact", "code_id", "code"):
                del self.fields[name]
        else:
            del self.fields["dossier_code"]

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Nội dung"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Từ khóa"), required=False, max_length=200)
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan"),
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("Tất cả cơ quan"),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Lĩnh vực"),
        choices=[("", gettext_lazy("Tất cả lĩnh vực")), *Category.choices],
        required=False,
    )
