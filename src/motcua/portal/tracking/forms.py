"""Forms of the citizen's pages after submission: the public status lookup, the rating, and
the answer to a supplement request. They shape input; the services decide and write."""

import uuid
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import ids
from motcua.core.errors import DomainError
from motcua.dossiers.files import store_file
from motcua.dossiers.models import StoredFile
from motcua.feedback.services import COMMENT_MAX

ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"
NOTE_MAX = 2000


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=50,
        help_text=gettext_lazy("In trên Giấy tiếp nhận hồ sơ, ví dụ 000.00.31.H26-261123-0001."),
    )
    id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân hoặc mã số thuế của người nộp"),
        max_length=14,
        help_text=gettext_lazy("12 chữ số trên căn cước; tổ chức nhập mã số thuế."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_id_number(self):
        value = ids.normalise_tax_code(self.cleaned_data["id_number"])
        if not (ids.is_id_number(value) or ids.is_tax_code(value)):
            raise forms.ValidationError(
                _("Nhập 12 chữ số của số định danh cá nhân, hoặc mã số thuế của tổ chức.")
            )
        return value


SCORE_LABELS = {
    1: gettext_lazy("Rất không hài lòng"),
    2: gettext_lazy("Không hài lòng"),
    3: gettext_lazy("Bình thường"),
    4: gettext_lazy("Hài lòng"),
    5: gettext_lazy("Rất hài lòng"),
}


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("Mức độ hài lòng của bạn"),
        coerce=int,
        choices=[
            (score, format_lazy("{} – {}", score, label)) for score, label in SCORE_LABELS.items()
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Chọn một mức từ 1 đến 5.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Góp ý thêm (không bắt buộc)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@dataclass
class Item:
    """One missing document of the request, with what the applicant has given for it."""

    index: int
    name: str
    spec_id: int | None
    kept: list[StoredFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def field_name(self) -> str:
        return f"file_{self.index}"

    @property
    def needs_file(self) -> bool:
        """A document of the procedure must come as a file; a free-text request (a detail
        to correct) may be answered in the note instead."""
        return self.spec_id is not None


class SupplementAnswer:
    """The applicant's answer to a supplement request: files per missing document and a
    note. Files are checked and kept as soon as they arrive, so that a mistake elsewhere
    never makes the applicant choose them again (they come back as `kept_<n>` ids)."""

    def __init__(self, missing: list[dict], user, data=None, files=None):
        self.user = user
        self.items = [
            Item(index=n, name=item.get("name", ""), spec_id=item.get("spec_id"))
            for n, item in enumerate(missing)
        ]
        self.note = ((data or {}).get("note") or "").strip()
        self.errors: list[str] = []
        self.note_error = ""
        self.bound = data is not None
        if self.bound:
            self._take(data, files)

    def _take(self, data, files) -> None:
        wanted = {item.index: data.getlist(f"kept_{item.index}") for item in self.items}
        kept = {
            str(f.pk): f
            for f in StoredFile.objects.filter(
                pk__in=[v for values in wanted.values() for v in values if _is_uuid(v)],
                owner=self.user,
                attached=False,
            )
        }
        for item in self.items:
            item.kept = [kept[v] for v in wanted[item.index] if v in kept]
            for upload in files.getlist(item.field_name) if files else []:
                try:
                    item.kept.append(store_file(upload, upload.name or "", self.user))
                except DomainError as error:
                    item.errors.append(f"{upload.name}: {error.message}")

    def is_valid(self) -> bool:
        if not self.bound:
            return False
        for item in self.items:
            if item.needs_file and not item.kept and not item.errors:
                item.errors.append(_("Chọn tệp cho giấy tờ này."))
        if len(self.note) > NOTE_MAX:
            self.note_error = _("Tối đa %(count)s ký tự.") % {"count": NOTE_MAX}
        given = any(item.kept for item in self.items)
        if not given and not self.note and not self.note_error:
            self.note_error = _("Tải lên giấy tờ còn thiếu hoặc ghi rõ nội dung bổ sung.")
        return not (self.note_error or any(item.errors for item in self.items))

    def components(self) -> list[dict]:
        """The `components` argument of `perform(..., "supplement", ...)`."""
        return [
            {"spec_id": item.spec_id, "name": item.name, "file_id": str(f.pk)}
            for item in self.items
            for f in item.kept
        ]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.note_error or any(i.errors for i in self.items))

    @staticmethod
    def limits() -> str:
        return _("Tệp PDF, JPG, PNG, DOCX hoặc XLSX, tối đa %(mb)s MB mỗi tệp.") % {
            "mb": settings.MAX_UPLOAD_MB
        }


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
