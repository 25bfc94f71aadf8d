"""The citizen's online submission, page by page: the pages of a procedure's e-form (task
list, one thing per page), the form of one page, and how its answers join the draft's."""

import json
import uuid
from dataclasses import dataclass, field

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog import queries as catalog
from motcua.dossiers import eform
from motcua.dossiers.services import _Errors, validate_form

# A section with more questions than this is split into one page per group.
PAGE_QUESTIONS = 12
REGISTRY_NOTE = gettext_lazy("Lấy từ Cơ sở dữ liệu quốc gia về dân cư")


@dataclass
class Page:
    number: int
    section: str
    title: str
    groups: list[eform.Group] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.number)

    @property
    def keys(self) -> set:
        """The top-level answers this page owns."""
        return {leaf.path[0] for group in self.groups for leaf in group.leaves}

    @property
    def leaves(self) -> list[eform.Leaf]:
        return [leaf for group in self.groups for leaf in group.leaves]


def pages_of(sections: list[eform.Section]) -> list[Page]:
    """Each section a page; a long one (counting one item of each repeating group, so pages
    do not move as items are added) a page per group, a repeating group's items together."""
    pages: list[Page] = []
    for section in sections:
        first_items = [g for g in section.groups if g.index in (None, 0)]
        questions = sum(len(g.leaves) for g in first_items)
        if questions <= PAGE_QUESTIONS or len(first_items) < 2:
            pages.append(Page(len(pages), section.title, section.title, list(section.groups)))
            continue
        # The questions outside any group come after the groups they follow up on.
        ordered = [g for g in section.groups if g.title or g.array is not None]
        ordered += [g for g in section.groups if not (g.title or g.array is not None)]
        for group in ordered:
            if group.array is not None and group.index:
                pages[-1].groups.append(group)
                continue
            inside = group.array is not None and len(group.array) > 1
            if inside and pages and group.array[0] in pages[-1].keys:
                # A repeating group inside an object: asked with that object.
                pages[-1].groups.append(group)
                continue
            title = group.title if group.title and group.array is None else section.title
            if group.array is not None:
                title = group.title.rsplit(" (", 1)[0]
            if any(p.title == title for p in pages):
                title = _("%(title)s (tiếp theo)") % {"title": title}
            pages.append(Page(len(pages), section.title, title, [group]))
    return pages


def count_name(path: tuple) -> str:
    """The hidden input holding how many items a repeating group shows on its page
    (`household_members__items`, `requester__children__items`)."""
    return eform.SEP.join((*path, "items"))


def arrays_of(page: Page) -> list[tuple]:
    """The paths of the repeating groups on a page, at the top level or inside objects."""
    return list(dict.fromkeys(g.array for g in page.groups if g.array is not None))


def shape(answers: dict, counts: dict[tuple, int]) -> dict:
    """The answers with each repeating group (by its path) given `counts` items, for the
    layout; the answers themselves are left as they are."""
    shaped = json.loads(json.dumps(answers))
    for path, count in counts.items():
        node = shaped
        for key in path[:-1]:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        given = node.get(path[-1]) if isinstance(node.get(path[-1]), list) else []
        node[path[-1]] = (given + [{}] * count)[:count]
    return shaped


def merge(answers: dict, page: Page, page_answers: dict) -> dict:
    merged = {k: v for k, v in answers.items() if k not in page.keys}
    merged.update(page_answers)
    return merged


def schema_errors(schema: dict, answers: dict, names: set[str] | None = None) -> dict:
    """{form field name: [messages]} from the schema (the dossier service's messages), for
    the fields in `names` (all when None). Required objects are checked down to their
    questions, so a missing answer is reported on the question itself."""
    checked = json.loads(json.dumps(answers))
    for key in schema.get("required") or []:
        sub = (schema.get("properties") or {}).get(key) or {}
        if sub.get("type") == "object" and key not in checked:
            checked[key] = {}
    errors = _Errors()
    validate_form(schema, checked, errors)
    found: dict[str, list[str]] = {}
    for path, messages in errors.fields.items():
        name = eform.field_name(path) or eform.PREFIX
        if names is not None and name not in names:
            owner = next((n for n in sorted(names) if n.startswith(name + eform.SEP)), None)
            if owner is None:
                continue
            name = owner
        found.setdefault(name, []).extend(_(m) for m in messages)
    return found


class PageForm(forms.Form):
    """One page of the e-form. Required answers are the schema's to check (a conditional
    question is required only when asked), so the fields themselves require nothing."""

    def __init__(self, *args, page: Page, answers: dict, prefilled: dict, **kwargs):
        self.page = page
        self.answers = answers
        data = args[0] if args else kwargs.get("data")
        self.asked = [
            leaf for leaf in page.leaves if not leaf.conditions or self._asked_here(leaf, data)
        ]
        kwargs.setdefault("initial", eform.initial_for(self.asked, answers))
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.fields.update(
            eform.fields_for(
                [eform.Section("", [eform.Group("", self.asked)])], choices=self._choices(data)
            )
        )
        for leaf in self.asked:
            self.fields[leaf.name].required = False
            self._describe(leaf, prefilled)

    def _asked_here(self, leaf: eform.Leaf, data) -> bool:
        """Asked when its condition holds for the saved answers, or when the answer it hangs
        on is on this very page (then shown by the script, and pruned on saving)."""
        if leaf.shown(self.answers):
            return True
        names = {other.name for other in self.page.leaves}
        return any(self._controller(c) in names for c in leaf.conditions)

    @staticmethod
    def _controller(condition: eform.Condition) -> str | None:
        simple = condition.simple()
        if simple is None:
            return None
        return eform.SEP.join((eform.PREFIX, *(str(p) for p in condition.where), simple[0]))

    def _choices(self, data):
        provinces = catalog.province_names()
        if not provinces:
            return None  # no administrative units loaded: the address is typed

        def choices(leaf: eform.Leaf):
            if leaf.widget == "province":
                return provinces
            province_name = eform.SEP.join((eform.PREFIX, *leaf.path[:-1], "province"))
            chosen = (data or {}).get(province_name) if data is not None else None
            if chosen is None:
                chosen = eform.value_at(self.answers, (*leaf.path[:-1], "province"))
            return catalog.commune_names(chosen or "")

        return choices

    def _describe(self, leaf: eform.Leaf, prefilled: dict) -> None:
        bound = self.fields[leaf.name]
        notes = [str(bound.help_text)] if bound.help_text else []
        if not leaf.required and not leaf.conditions:
            bound.label = f"{bound.label} ({_('không bắt buộc')})"
        if leaf.dotted in prefilled and eform.value_at(self.answers, leaf.path) == prefilled.get(
            leaf.dotted
        ):
            notes.append(str(REGISTRY_NOTE))
            bound.widget.attrs["data-prefilled"] = "1"
        titles = {other.name: other.title for other in self.page.leaves}
        for condition in leaf.conditions:
            simple = condition.simple()
            controller = self._controller(condition)
            if simple is None or controller not in titles:
                continue
            # Without a script the question stays on the page, saying when it applies.
            notes.append(
                _("Chỉ trả lời nếu “%(question)s” là “%(values)s”.")
                % {
                    "question": titles[controller],
                    "values": "”, “".join(_display(v) for v in simple[1]),
                }
            )
            bound.widget.attrs["data-show-if"] = controller
            bound.widget.attrs["data-show-values"] = json.dumps(
                [_choice_value(v) for v in simple[1]], ensure_ascii=False
            )
        if leaf.widget == "province":
            commune = eform.SEP.join((eform.PREFIX, *leaf.path[:-1], "commune"))
            bound.widget.attrs.update(
                {
                    "hx-get": reverse("portal:communes"),
                    "hx-trigger": "change",
                    "hx-target": f"#id_{commune}",
                    "hx-swap": "outerHTML",
                    "hx-vals": json.dumps({"field": commune}),
                }
            )
        bound.help_text = " ".join(notes)

    def page_answers(self, *, remove: str = "") -> dict:
        """This page's answers (blanks left out, a removed item gone)."""
        cleaned = dict(getattr(self, "cleaned_data", {}))
        if remove:
            prefix = eform.SEP.join((eform.PREFIX, *remove.split("."))) + eform.SEP
            cleaned = {k: v for k, v in cleaned.items() if not k.startswith(prefix)}
        return eform.answers([], cleaned, leaves=self.asked)

    def grouped(self):
        """[(group, [bound fields], item)] for the template; `item` for an item of a
        repeating group: its buttons' actions and the hidden input of the item count."""
        asked = {leaf.name for leaf in self.asked}
        rows = []
        for group in self.page.groups:
            item = None
            if group.array is not None:
                dotted = ".".join(group.array)
                item = {
                    "remove": f"remove:{dotted}.{group.index}",
                    "add": f"add:{dotted}",
                    "count_name": count_name(group.array),
                    "count": group.index + 1,
                    "label": group.title.rsplit(" (", 1)[0],
                }
            fields = [self[leaf.name] for leaf in group.leaves if leaf.name in asked]
            rows.append((group, fields, item))
        return rows


def _choice_value(value) -> str:
    """How an answer is sent by its form field (yes/no as the radio values)."""
    if value is True:
        return eform.YES
    if value is False:
        return eform.NO
    return str(value)


def _display(value) -> str:
    if value is True:
        return _("Có")
    if value is False:
        return _("Không")
    return str(value)


class StartForm(forms.Form):
    """Where to submit (the receiving agency) and as whom (oneself, or an organisation one
    represents)."""

    agency = forms.ChoiceField(
        label=gettext_lazy("Cơ quan tiếp nhận hồ sơ"), widget=forms.RadioSelect
    )
    applicant = forms.ChoiceField(
        label=gettext_lazy("Nộp hồ sơ với tư cách"), widget=forms.RadioSelect, initial="self"
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, agencies, organisations, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.tax_code: o for o in organisations}
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].code
        choices = []
        if not kinds or "citizen" in kinds:
            choices.append(("self", _("Cá nhân (chính tôi)")))
        if not kinds or "organisation" in kinds:
            choices += [
                (
                    o.tax_code,
                    _("Tổ chức: %(name)s (mã số thuế %(tax_code)s)")
                    % {"name": o.name, "tax_code": o.tax_code},
                )
                for o in organisations
            ]
        self.fields["applicant"].choices = choices
        if choices:
            self.fields["applicant"].initial = choices[0][0]
        self.fields["key"].initial = uuid.uuid4().hex

    def organisation(self):
        return self.organisations.get(self.cleaned_data["applicant"])
