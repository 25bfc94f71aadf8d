"""One form per dossier action. Forms only shape input; the dossiers service decides and
writes: `arguments()` gives the keyword arguments of `dossiers.services.perform`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import OfficerRole
from motcua.dossiers import services
from motcua.dossiers.files import store_file
from motcua.payments import services as payments

from .files import ACCEPT, MultipleFileField


def _note_field():
    return forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _reason_field(label):
    return forms.CharField(label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    """Base of the action forms: a note, and the dossier the action is for."""

    title = ""
    button = _("Thực hiện")
    danger = False

    def __init__(self, *args, dossier, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.user = user
        self.fields["note"] = _note_field()

    def arguments(self) -> dict:
        return {"note": self.cleaned_data.get("note", "")}


class ReceiveForm(ActionForm):
    title = _("Tiếp nhận hồ sơ")
    button = _("Tiếp nhận và in giấy tiếp nhận")


class RequestSupplementForm(ActionForm):
    title = _("Yêu cầu bổ sung, hoàn thiện hồ sơ")
    button = _("Gửi yêu cầu bổ sung (Mẫu 02)")
    missing = forms.MultipleChoiceField(
        label=_("Giấy tờ cần bổ sung"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other = forms.CharField(
        label=_("Nội dung khác cần bổ sung"),
        help_text=_("Mỗi dòng một nội dung."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["missing", "other", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        specs = self.dossier.procedure.components.all()
        self.fields["missing"].choices = [(str(spec.pk), spec.name) for spec in specs]

    def clean(self):
        data = super().clean()
        if not data.get("missing") and not (data.get("other") or "").strip():
            raise forms.ValidationError(
                _("Cần liệt kê đầy đủ, một lần, mọi giấy tờ phải bổ sung."), code="empty"
            )
        return data

    def arguments(self) -> dict:
        lines = [line.strip() for line in self.cleaned_data["other"].splitlines() if line.strip()]
        return {
            **super().arguments(),
            "missing": [int(v) for v in self.cleaned_data["missing"]] + lines,
        }


class SupplementForm(ActionForm):
    title = _("Nhận giấy tờ bổ sung tại quầy")
    button = _("Nhận bổ sung")
    spec = forms.ChoiceField(label=_("Giấy tờ"), required=False)
    name = forms.CharField(
        label=_("Tên giấy tờ (nếu là giấy tờ khác)"), required=False, max_length=500
    )
    files = MultipleFileField(label=_("Tệp quét hoặc tải lên"))
    field_order = ["spec", "name", "files", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        specs = self.dossier.procedure.components.all()
        self.fields["spec"].choices = [("", _("Giấy tờ khác"))] + [
            (str(s.pk), s.name) for s in specs
        ]
        self.fields["files"].widget.attrs["accept"] = ACCEPT

    def arguments(self) -> dict:
        spec = int(self.cleaned_data["spec"]) if self.cleaned_data["spec"] else None
        name = self.cleaned_data["name"] or None
        items = [
            {"spec_id": spec, "name": name, "file_id": str(store_file(f, f.name, self.user).pk)}
            for f in self.cleaned_data["files"]
        ]
        return {**super().arguments(), "components": items}


class RefuseForm(ActionForm):
    title = _("Từ chối hồ sơ")
    button = _("Từ chối (Mẫu 03)")
    danger = True
    reason = _reason_field(_("Lý do từ chối"))
    field_order = ["reason", "note"]

    def arguments(self) -> dict:
        return {**super().arguments(), "reason": self.cleaned_data["reason"]}


class StopForm(RefuseForm):
    title = _("Dừng xử lý hồ sơ")
    button = _("Dừng xử lý (Mẫu 05)")
    reason = _reason_field(_("Lý do dừng xử lý"))


class MoveForm(ActionForm):
    """Forward, send back or transfer: the step (and so the agency) the dossier goes to."""

    to_step = forms.ChoiceField(label=_("Chuyển đến bước"))
    assignee = forms.ChoiceField(label=_("Cán bộ xử lý (không bắt buộc)"), required=False)
    field_order = ["to_step", "assignee", "note"]
    action = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steps = services.candidate_steps(self.dossier, self.action)
        self.fields["to_step"].choices = [
            (
                str(step.pk),
                f"{step.order}. {step.name} — {(step.agency or self.dossier.agency).name}",
            )
            for step in steps
        ]
        # Officers who may take the default step; another step takes whoever picks it up.
        holders = []
        if steps:
            first = steps[0]
            holders = (
                OfficerRole.objects.filter(
                    agency=first.agency or self.dossier.agency, role=first.role
                )
                .select_related("user")
                .order_by("user__full_name")
            )
        self.fields["assignee"].choices = [("", _("Chưa giao"))] + [
            (str(h.user_id), h.user.full_name or h.user.get_username()) for h in holders
        ]

    def clean(self):
        data = super().clean()
        steps = services.candidate_steps(self.dossier, self.action)
        if data.get("assignee") and steps and data.get("to_step") != str(steps[0].pk):
            self.add_error("assignee", _("Chỉ giao cán bộ khi chuyển đến bước mặc định."))
        return data

    def arguments(self) -> dict:
        return {
            **super().arguments(),
            "to_step": int(self.cleaned_data["to_step"]),
            "assignee": self.cleaned_data["assignee"] or None,
        }


class ForwardForm(MoveForm):
    title = _("Chuyển bước tiếp theo")
    button = _("Chuyển tiếp")
    action = "forward"


class SendBackForm(MoveForm):
    title = _("Trả lại bước trước")
    button = _("Trả lại")
    action = "send_back"


class TransferForm(MoveForm):
    title = _("Chuyển liên thông sang cơ quan khác")
    button = _("Chuyển liên thông")
    action = "transfer"


class RequestPaymentForm(ActionForm):
    title = _("Yêu cầu thực hiện nghĩa vụ tài chính")
    button = _("Yêu cầu nộp phí, lệ phí")
    amount = forms.IntegerField(label=_("Số tiền (đồng)"), min_value=1)
    field_order = ["amount", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = services.fees_due(self.dossier) or None

    def arguments(self) -> dict:
        return {**super().arguments(), "amount": self.cleaned_data["amount"]}


class RecordPaymentForm(ActionForm):
    title = _("Ghi nhận đã nộp phí, lệ phí")
    button = _("Ghi nhận thanh toán")
    amount = forms.IntegerField(label=_("Số tiền (đồng)"), min_value=1)
    receipt_number = forms.CharField(label=_("Số biên lai"), required=False, max_length=50)
    field_order = ["amount", "receipt_number", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = payments.requested_amount(self.dossier)

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **super().arguments(),
            "amount": data["amount"],
            "receipt_number": data["receipt_number"],
        }


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ApologizeForm(ActionForm):
    title = _("Xin lỗi và hẹn lại ngày trả kết quả")
    button = _("Ban hành văn bản xin lỗi (Mẫu 04)")
    new_due_at = forms.DateTimeField(
        label=_("Ngày giờ hẹn trả mới"),
        widget=DateTimeLocalInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = _reason_field(_("Lý do chậm trả kết quả"))
    field_order = ["new_due_at", "reason", "note"]

    def arguments(self) -> dict:
        when = self.cleaned_data["new_due_at"]
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        return {**super().arguments(), "new_due_at": when, "reason": self.cleaned_data["reason"]}


class FinishForm(ActionForm):
    title = _("Ký duyệt, có kết quả giải quyết")
    button = _("Hoàn thành hồ sơ")
    result_file = forms.FileField(label=_("Tệp kết quả giải quyết (PDF)"), required=False)
    field_order = ["result_file", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["result_file"]
        field.required = self.dossier.procedure.result_is_document
        field.widget.attrs["accept"] = ACCEPT

    def arguments(self) -> dict:
        upload = self.cleaned_data.get("result_file")
        file_id = str(store_file(upload, upload.name, self.user).pk) if upload else None
        return {**super().arguments(), "result_file_id": file_id}


class ReturnResultForm(ActionForm):
    title = _("Trả kết quả")
    button = _("Xác nhận đã trả kết quả")
    delivery = forms.ChoiceField(
        label=_("Hình thức trả"),
        widget=forms.RadioSelect,
        choices=[
            ("counter", _("Trực tiếp tại quầy")),
            ("post", _("Qua bưu chính công ích")),
            ("electronic", _("Bản điện tử vào kho dữ liệu của công dân")),
        ],
        initial="counter",
    )
    field_order = ["delivery", "note"]

    def arguments(self) -> dict:
        return {**super().arguments(), "delivery": self.cleaned_data["delivery"]}


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "receive": ReceiveForm,
    "request_supplement": RequestSupplementForm,
    "supplement": SupplementForm,
    "refuse": RefuseForm,
    "forward": ForwardForm,
    "send_back": SendBackForm,
    "transfer": TransferForm,
    "request_payment": RequestPaymentForm,
    "record_payment": RecordPaymentForm,
    "apologize": ApologizeForm,
    "stop": StopForm,
    "finish": FinishForm,
    "return_result": ReturnResultForm,
}
