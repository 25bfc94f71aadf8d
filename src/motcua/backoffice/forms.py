"""Back-office forms: sign-in, inbox filters, one form per dossier action, counter reception.

Forms only shape input; the dossiers service decides and writes. `arguments()` gives the
keyword arguments of `dossiers.services.perform` for the action.
"""

import json

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.forms import CodeForm, IdNumberField, TaxCodeField
from motcua.catalog.models import OfficerRole
from motcua.core import ids
from motcua.dossiers import eform, services
from motcua.dossiers.files import store_file
from motcua.dossiers.models import Channel, Event, Status

from . import eform as counter_eform


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (a paper component scanned as several pages)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            single(None, initial)  # "required" speaks here
            return []
        return [single(item, initial) for item in items]


ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"


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
        requested = (
            Event.objects.filter(dossier=self.dossier, to_status=Status.AWAITING_PAYMENT)
            .order_by("-seq")
            .values_list("payload", flat=True)
            .first()
        )
        self.fields["amount"].initial = (requested or {}).get("amount")

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


# --------------------------------------------------------------------------- the counter


class CounterForm(forms.Form):
    """A paper dossier at the counter: receiving agency, applicant (a citizen by ID number,
    or an organisation by tax code through its representative), e-form, scanned parts."""

    KINDS = {"citizen": _("Công dân"), "organisation": _("Tổ chức, doanh nghiệp")}

    agency = forms.ChoiceField(label=_("Cơ quan tiếp nhận"))
    kind = forms.ChoiceField(
        label=_("Người nộp là"), required=False, widget=forms.RadioSelect, initial="citizen"
    )
    full_name = forms.CharField(
        label=_("Họ, chữ đệm và tên người nộp hoặc tên tổ chức"), max_length=200
    )
    # The officer types someone else's numbers: the browser must not offer its own.
    id_number = IdNumberField(
        required=False,
        autocomplete="off",
        help_text=_("12 chữ số. Bắt buộc khi người nộp là công dân."),
    )
    tax_code = TaxCodeField(
        label=_("Mã số thuế của tổ chức"),
        required=False,
        autocomplete="off",
        help_text=_("10 chữ số, hoặc 10 chữ số-3 chữ số với chi nhánh. Bắt buộc với tổ chức."),
    )
    representative = forms.CharField(
        label=_("Người đại diện tổ chức nộp hồ sơ"),
        max_length=200,
        required=False,
        help_text=_("Bắt buộc với tổ chức."),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"), max_length=15, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False, max_length=254)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300)

    APPLICANT_FIELDS = (
        "kind",
        "full_name",
        "id_number",
        "tax_code",
        "representative",
        "phone",
        "email",
        "address",
    )
    CONTACT_FIELDS = ("full_name", "phone", "email", "address")

    def __init__(self, *args, procedure, agencies, counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].code
        # Only the kinds of applicant the procedure is for.
        kinds = [
            k for k in self.KINDS if not procedure.applicant_kinds or k in procedure.applicant_kinds
        ]
        self.fields["kind"].choices = [(k, self.KINDS[k]) for k in kinds or self.KINDS]
        self.fields["kind"].initial = self.fields["kind"].choices[0][0]
        if counts is None:
            # As many items of each repeating group as the posted page had (one when new).
            arrays = counter_eform.arrays_of(counter_eform.layout(procedure))
            counts = counter_eform.posted_counts(self.data, arrays) if self.is_bound else {}
        self.sections = counter_eform.layout(procedure, counts)
        self.fields.update(eform.fields_for(self.sections))
        self._ask_what_applies()
        # An item left empty is no item (the answers leave it out): its questions are
        # required only once something in the item is answered (`_check_items`).
        self.items = [g for s in self.sections for g in s.groups if g.array is not None]
        for group in self.items:
            for leaf in group.leaves:
                self.fields[leaf.name].required = False
        self.specs = list(procedure.components.all())
        for spec in self.specs:
            field = MultipleFileField(label=spec.name, required=spec.required)
            field.widget.attrs["accept"] = ACCEPT
            self.fields[self.spec_field(spec)] = field
        self._watch_controllers()

    @staticmethod
    def spec_field(spec) -> str:
        return f"tp_{spec.pk}"

    def _ask_what_applies(self) -> None:
        """Only the conditional questions whose condition holds for the answers given so far
        (posted, or kept by an item or update button) stay: the others lose their fields, so
        an answer to them is dropped, never checked nor stored. One named in the `required`
        of its `then` is required once asked."""
        leaves = eform.all_leaves(self.sections)
        conditional = [leaf for leaf in leaves if leaf.conditions]
        self.controllers = eform.controllers(conditional)
        given = eform.prune(self.sections, self._given(leaves)) if conditional else {}
        asked = {leaf.name for leaf in leaves if not leaf.conditions or leaf.shown(given)}
        schema = self.procedure.form_schema
        self.required_when_asked = set()
        for leaf in conditional:
            if leaf.name not in asked:
                del self.fields[leaf.name]
            elif eform.required_when_asked(schema, leaf, given):
                self.required_when_asked.add(leaf.name)
                self.fields[leaf.name].required = True
        if conditional:
            self.sections = counter_eform.only_asked(self.sections, asked)

    def _given(self, leaves) -> dict:
        """The answers typed so far, each as its field reads it (a yes/no as a boolean); one
        its field does not accept (yet) counts as not given."""
        cleaned = {}
        for leaf in leaves:
            field = self.fields[leaf.name]
            if self.is_bound:
                name = self.add_prefix(leaf.name)
                raw = field.widget.value_from_datadict(self.data, self.files, name)
            else:
                raw = self.get_initial_for_field(field, leaf.name)
            try:
                cleaned[leaf.name] = field.clean(raw)
            except forms.ValidationError:
                continue
        return eform.answers_in_place(leaves, cleaned)

    def _watch_controllers(self) -> None:
        """Changing an answer a condition depends on re-renders the e-form (htmx), with the
        questions it asks or no longer asks."""
        self.watched = {
            name
            for name in self.fields
            if name in self.controllers
            or any(name.startswith(c + eform.SEP) for c in self.controllers)
        }
        attrs = {
            "hx-post": "",
            "hx-trigger": "change",
            "hx-target": "#counter-eform",
            "hx-select": "#counter-eform",
            "hx-swap": "outerHTML",
            "hx-params": self.htmx_params(),
            "hx-vals": json.dumps({"action": counter_eform.UPDATE}),
        }
        for name in self.watched:
            self.fields[name].widget.attrs.update(attrs)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.fields["kind"].initial

    def _check_items(self, data) -> None:
        for group in self.items:
            if not any(data.get(leaf.name) not in (None, "") for leaf in group.leaves):
                continue
            for leaf in group.leaves:
                needed = leaf.required or leaf.name in self.required_when_asked
                if needed and data.get(leaf.name) in (None, "") and leaf.name in data:
                    self.add_error(leaf.name, self.fields[leaf.name].error_messages["required"])

    def clean(self):
        data = super().clean()
        self._check_items(data)
        organisation = data.get("kind") == "organisation"
        # Only the number of the kind of applicant chosen is asked: what is left in the
        # other box neither counts nor blocks.
        asked, ignored = ("tax_code", "id_number") if organisation else ("id_number", "tax_code")
        self._errors.pop(ignored, None)
        data[ignored] = ""
        if not data.get(asked) and asked not in self._errors:
            self.add_error(asked, self.fields[asked].message)
        if organisation and not (data.get("representative") or "").strip():
            self.add_error("representative", _("Bắt buộc nhập."))
        return data

    def clean_phone(self):
        value = ids.normalise_phone(self.cleaned_data["phone"])
        if not ids.is_phone(value):
            raise forms.ValidationError(_("Số điện thoại không hợp lệ."))
        return value

    # Layout helpers for the template.
    def applicant_fields(self):
        return [self[name] for name in self.APPLICANT_FIELDS if name != "kind"]

    def form_sections(self):
        """[(section title, [(group, [bound fields], its add/remove buttons, whether it
        holds an answer other questions depend on)])]."""
        return [
            (
                section.title,
                [
                    (
                        g,
                        [self[leaf.name] for leaf in g.leaves],
                        self._buttons(g),
                        any(leaf.name in self.watched for leaf in g.leaves),
                    )
                    for g in section.groups
                ],
            )
            for section in self.sections
        ]

    @staticmethod
    def _buttons(group) -> dict:
        if group.array is None:
            return {}
        dotted = ".".join(group.array)
        return {
            "id": "-".join(("item", *group.array)),
            "label": group.title.rsplit(" (", 1)[0],
            "remove": f"{counter_eform.REMOVE}{dotted}.{group.index}",
            "add": f"{counter_eform.ADD}{dotted}" if group.last else "",
            "count_name": counter_eform.count_name(group.array),
            "count": group.index + 1,
        }

    def htmx_params(self) -> str:
        """What htmx posts for an add/remove button: all but the files (they stay chosen)."""
        files = ",".join(self.spec_field(spec) for spec in self.specs)
        return f"not {files}" if files else "*"

    def component_fields(self):
        return [(spec, self[self.spec_field(spec)]) for spec in self.specs]

    def applicant(self) -> dict:
        data = self.cleaned_data
        applicant = {"kind": data["kind"], **{name: data[name] for name in self.CONTACT_FIELDS}}
        if data["kind"] == "organisation":
            applicant.update(tax_code=data["tax_code"], representative=data["representative"])
        else:
            applicant["id_number"] = data["id_number"]
        return applicant

    def answers(self) -> dict:
        return eform.answers(self.sections, self.cleaned_data)

    def components(self, officer) -> list[dict]:
        """Each scanned file stored (private storage) as one component of its spec."""
        return [
            {"spec_id": spec.pk, "file_id": str(store_file(f, f.name, officer).pk)}
            for spec in self.specs
            for f in self.cleaned_data[self.spec_field(spec)]
        ]

    def add_service_errors(self, fields: dict) -> None:
        """Put the service's field errors (`applicant.phone`, `form.x.y`, `components`) on
        the fields they belong to (inside the right item of a repeating group); the rest on
        the form."""
        index_map = counter_eform.item_index_map(self.sections, self.cleaned_data)
        for path, messages in (fields or {}).items():
            name = eform.field_name(counter_eform.page_path(path, index_map))
            if name is not None and name not in self.fields:
                # About a whole object or group (too few items): its first question.
                name = next((n for n in self.fields if n.startswith(name + eform.SEP)), name)
            if path.startswith("applicant."):
                name = path.split(".", 1)[1]
            elif path == "agency":
                name = "agency"
            if name not in self.fields:
                name = None
            for message in messages:
                self.add_error(name, message)
