"""Counter reception: a paper dossier typed in and scanned at the counter."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.forms import IdNumberField, TaxCodeField
from motcua.core import ids
from motcua.dossiers import eform
from motcua.dossiers.files import store_file

from .. import eform as counter_eform
from .files import ACCEPT, MultipleFileField


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
