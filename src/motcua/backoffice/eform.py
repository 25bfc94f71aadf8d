"""A procedure's e-form (JSON Schema + UI layout) as Django form fields, and its answers shown
back by the schema's titles.

Objects are walked down to their leaves (one field per leaf, named `tk__<path>`); text,
numbers, dates, enums and booleans get their own widgets; arrays and free-form objects fall
back to a JSON text box. The schema itself is checked again by the dossiers service.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PREFIX = "tk"
SEP = "__"


@dataclass
class Leaf:
    path: tuple[str, ...]
    schema: dict
    required: bool
    title: str

    @property
    def name(self) -> str:
        return SEP.join((PREFIX, *self.path))


@dataclass
class Group:
    title: str
    leaves: list[Leaf] = field(default_factory=list)


@dataclass
class Section:
    title: str
    groups: list[Group] = field(default_factory=list)


def _ordered_keys(schema: dict, order=None) -> list[str]:
    props = schema.get("properties") or {}
    keys = [k for k in (order or []) if k in props]
    return keys + [k for k in props if k not in keys]


def _is_object(schema: dict) -> bool:
    return schema.get("type") == "object" and bool(schema.get("properties"))


def _leaves(schema: dict, path: tuple, required: bool, titles: tuple) -> list[Leaf]:
    found = []
    needed = set(schema.get("required") or [])
    for key in _ordered_keys(schema):
        sub = schema["properties"][key]
        if not isinstance(sub, dict):
            continue
        title = sub.get("title") or key
        if _is_object(sub):
            found += _leaves(sub, (*path, key), required and key in needed, (*titles, title))
        else:
            label = " — ".join((*titles, title))
            found.append(Leaf((*path, key), sub, required and key in needed, label))
    return found


def layout(schema: dict, ui: dict | None) -> list[Section]:
    """The form's sections (from `form_ui.sections`, else one), each with groups of leaves:
    a top-level object is a group under its own title."""
    schema = schema if isinstance(schema, dict) else {}
    ui = ui if isinstance(ui, dict) else {}
    props = schema.get("properties") or {}
    needed = set(schema.get("required") or [])
    sections_ui = [s for s in ui.get("sections") or [] if isinstance(s, dict)]
    placed: set[str] = set()
    plan: list[tuple[str, list[str]]] = []
    for item in sections_ui:
        keys = [k for k in item.get("fields") or [] if k in props and k not in placed]
        placed.update(keys)
        if keys:
            plan.append((str(item.get("title") or ""), keys))
    rest = [k for k in _ordered_keys(schema, ui.get("order")) if k not in placed]
    if rest:
        # Without a layout the whole form is one untitled section.
        plan.append((_("Thông tin khác") if plan else "", rest))
    sections = []
    for title, keys in plan:
        section = Section(title)
        loose = Group("")
        for key in keys:
            sub = props[key]
            if not isinstance(sub, dict):
                continue
            if _is_object(sub):
                group = Group(sub.get("title") or key)
                group.leaves = _leaves(sub, (key,), key in needed, ())
                section.groups.append(group)
            else:
                loose.leaves.append(Leaf((key,), sub, key in needed, sub.get("title") or key))
        if loose.leaves:
            section.groups.insert(0, loose)
        sections.append(section)
    return sections


def all_leaves(sections: list[Section]) -> list[Leaf]:
    return [leaf for section in sections for group in section.groups for leaf in group.leaves]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class JSONText(forms.CharField):
    """Arrays and objects without declared properties, typed as JSON."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise forms.ValidationError(
                gettext_lazy("Không phải JSON hợp lệ."), code="invalid"
            ) from None


def form_field(leaf: Leaf) -> forms.Field:
    s = leaf.schema
    kind = s.get("type")
    common = {"label": leaf.title, "required": leaf.required}
    if s.get("description"):
        common["help_text"] = s["description"]
    if "enum" in s:
        values = list(s["enum"])
        by_text = {str(v): v for v in values}
        return forms.TypedChoiceField(
            choices=[("", _("— Chọn —"))] + [(str(v), str(v)) for v in values],
            coerce=lambda text: by_text.get(text, text),
            empty_value=None,
            **common,
        )
    if kind == "string" and s.get("format") == "date":
        return forms.DateField(widget=DateInput, **common)
    if kind == "string" and s.get("format") == "email":
        return forms.EmailField(max_length=s.get("maxLength"), **common)
    if kind == "string":
        limit = s.get("maxLength")
        widget = forms.Textarea(attrs={"rows": 3}) if limit and limit > 300 else None
        return forms.CharField(
            max_length=limit, min_length=s.get("minLength"), widget=widget, **common
        )
    if kind == "integer":
        return forms.IntegerField(min_value=s.get("minimum"), max_value=s.get("maximum"), **common)
    if kind == "number":
        return forms.DecimalField(min_value=s.get("minimum"), max_value=s.get("maximum"), **common)
    if kind == "boolean":
        return forms.BooleanField(label=leaf.title, required=False)
    return JSONText(**common, help_text=_("Nhập dạng JSON."))


def fields_for(sections: list[Section]) -> dict[str, forms.Field]:
    return {leaf.name: form_field(leaf) for leaf in all_leaves(sections)}


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def answers(sections: list[Section], cleaned: dict) -> dict:
    """The nested form answers from a form's cleaned data; blanks are left out, so that an
    optional object nobody filled in stays absent."""
    result: dict = {}
    for leaf in all_leaves(sections):
        value = cleaned.get(leaf.name)
        if value in (None, "") or (value is False and not leaf.required):
            continue
        node = result
        for key in leaf.path[:-1]:
            node = node.setdefault(key, {})
        node[leaf.path[-1]] = _json_value(value)
    return result


def field_name(error_path: str) -> str | None:
    """`form.requester.full_name` (a service error) -> the form field's name."""
    parts = error_path.split(".")
    if parts[0] != "form" or len(parts) < 2:
        return None
    return SEP.join((PREFIX, *parts[1:]))


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Có")
    if value is False:
        return _("Không")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, indent=2)
    return str(value)


def shown_answers(schema: dict, ui: dict | None, form: dict) -> list[tuple[str, list]]:
    """[(section title, [(group title, [(field title, text)])])] of a dossier's answers, by
    the schema's titles; answers the schema does not know are shown under their keys."""
    form = form if isinstance(form, dict) else {}
    sections = layout(schema, ui)
    shown = []
    known: set[str] = set()
    for section in sections:
        groups = []
        for group in section.groups:
            rows = []
            for leaf in group.leaves:
                known.add(leaf.path[0])
                node = form
                for key in leaf.path:
                    node = node.get(key) if isinstance(node, dict) else None
                if node is not None:
                    rows.append((leaf.title, _display(node)))
            if rows:
                groups.append((group.title, rows))
        if groups:
            shown.append((section.title, groups))
    extra = [(key, _display(value)) for key, value in form.items() if key not in known]
    if extra:
        shown.append((_("Nội dung ngoài tờ khai"), [("", extra)]))
    return shown
