"""A procedure's e-form (JSON Schema + `form_ui` layout) as Django form fields, and its answers
shown back by the schema's titles. One walker for the counter screen and the portal.

Objects are walked down to their leaves (one field per leaf, named `tk__<path>`). The
vocabulary (docs/catalog.md, "E-forms"):

- `type` string / integer / number / boolean, `enum` (a choice), `format: date | email`;
- `x-widget: id_number | tax_code | phone` on a string (checked by `motcua.core.ids`);
- `x-widget: address` on an object with `province`, `commune` and `detail`: the province and
  the commune are chosen from the administrative units (the commune within the province);
- an array of objects is a repeating group (e.g. family members), at the top level or inside
  an object at any depth (an array inside an item of another stays a JSON box);
- a conditional question is a property named in the `then` of an object's `if`/`then` (or
  of an `allOf` of them): asked only when the `if` holds for that object's answers, so that
  the same schema both shows the question and validates it;
- other arrays and free-form objects fall back to a JSON text box.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import jsonschema
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import ids

PREFIX = "tk"
SEP = "__"
ADDRESS_PARTS = ("province", "commune")


@dataclass(frozen=True)
class Condition:
    """Shown when `test` (a JSON Schema) holds for the object at `where`."""

    where: tuple
    test: dict

    def holds(self, answers: dict) -> bool:
        node = value_at(answers, self.where)
        node = node if isinstance(node, dict) else {}
        validator = jsonschema.validators.validator_for(self.test)(self.test)
        return validator.is_valid(node)

    def simple(self) -> tuple[str, list] | None:
        """(controlling key, values) when the test is `properties: {key: {const|enum}}`."""
        props = self.test.get("properties") or {}
        if len(props) != 1:
            return None
        key, rule = next(iter(props.items()))
        if not isinstance(rule, dict):
            return None
        if "const" in rule:
            return key, [rule["const"]]
        if isinstance(rule.get("enum"), list):
            return key, list(rule["enum"])
        return None


@dataclass
class Leaf:
    path: tuple
    schema: dict
    required: bool
    title: str
    widget: str = ""  # x-widget, or "province"/"commune" inside an address
    conditions: tuple[Condition, ...] = ()

    @property
    def name(self) -> str:
        return SEP.join((PREFIX, *(str(p) for p in self.path)))

    def shown(self, answers: dict) -> bool:
        return all(c.holds(answers) for c in self.conditions)

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path)


@dataclass
class Group:
    title: str
    leaves: list[Leaf] = field(default_factory=list)
    array: tuple | None = None  # a repeating group's array path...
    index: int | None = None  # ...and this item's place in it
    last: bool = False  # the last item: the "add another" button follows it
    address: bool = False


@dataclass
class Section:
    title: str
    groups: list[Group] = field(default_factory=list)


def value_at(answers, path):
    node = answers
    for key in path:
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


def _ordered_keys(schema: dict, order=None) -> list[str]:
    """The properties in the layout's order, else the schema's `x-order` (set on import:
    the database may not keep the keys' order), else as they come."""
    props = schema.get("properties") or {}
    given = list(order or []) + [k for k in schema.get("x-order") or [] if isinstance(k, str)]
    keys = list(dict.fromkeys(k for k in given if k in props))
    return keys + [k for k in props if k not in keys]


def _is_object(schema: dict) -> bool:
    return schema.get("type") == "object" and bool(schema.get("properties"))


def is_repeating(schema: dict) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type") == "array"
        and isinstance(schema.get("items"), dict)
        and _is_object(schema["items"])
    )


def _conditional_keys(schema: dict, where: tuple) -> dict[str, list[Condition]]:
    """Each property named in a `then` -> the conditions under which it is asked."""
    found: dict[str, list[Condition]] = {}
    rules = [schema] + [r for r in schema.get("allOf") or [] if isinstance(r, dict)]
    for rule in rules:
        test, then = rule.get("if"), rule.get("then")
        if not isinstance(test, dict) or not isinstance(then, dict):
            continue
        keys = set(then.get("required") or []) | set(then.get("properties") or {})
        for key in keys:
            found.setdefault(key, []).append(Condition(where, test))
    return found


def _leaves(schema, path, required, titles, conditions, address=False, arrays=None) -> list[Leaf]:
    """The leaves of an object. With `arrays` (a list), the repeating groups inside it are
    collected there as (path, schema, titles, conditions) instead of becoming a JSON box."""
    found = []
    needed = set(schema.get("required") or [])
    conditional = _conditional_keys(schema, path)
    for key in _ordered_keys(schema):
        sub = schema["properties"][key]
        if not isinstance(sub, dict):
            continue
        title = sub.get("title") or key
        own = (*conditions, *conditional.get(key, ()))
        # A conditional question is required only when asked: the schema's `then` says so.
        need = required and key in needed
        if _is_object(sub):
            address_widget = sub.get("x-widget") == "address"
            found += _leaves(sub, (*path, key), need, (*titles, title), own, address_widget, arrays)
        elif arrays is not None and is_repeating(sub):
            arrays.append(((*path, key), sub, (*titles, title), own))
        else:
            label = " — ".join((*titles, title))
            widget = key if address and key in ADDRESS_PARTS else sub.get("x-widget", "")
            found.append(Leaf((*path, key), sub, need, label, widget, own))
    return found


def _items_count(schema: dict, answers, path: tuple) -> int:
    given = value_at(answers, path)
    count = len(given) if isinstance(given, list) else 0
    return max(count, schema.get("minItems") or 0, 1)


def _items(path: tuple, schema: dict, titles: tuple, conditions, answers) -> list[Group]:
    """A repeating group: one group per item given in `answers` (at least one)."""
    count = _items_count(schema, answers, path)
    title = " — ".join(titles)
    groups = []
    for index in range(count):
        item = Group(f"{title} ({index + 1})", array=path, index=index, last=index == count - 1)
        item.leaves = _leaves(schema["items"], (*path, index), True, (), conditions)
        groups.append(item)
    return groups


def layout(schema: dict, ui: dict | None, answers: dict | None = None) -> list[Section]:
    """The form's sections (from `form_ui.sections`, else one), each with groups of leaves:
    a top-level object is a group under its own title; a repeating group has one group per
    item given in `answers` (at least one), and so has one inside a top-level object (at any
    depth of objects), after that object's group."""
    schema = schema if isinstance(schema, dict) else {}
    ui = ui if isinstance(ui, dict) else {}
    answers = answers if isinstance(answers, dict) else {}
    props = schema.get("properties") or {}
    needed = set(schema.get("required") or [])
    conditional = _conditional_keys(schema, ())
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
            conds = tuple(conditional.get(key, ()))
            sub_title = sub.get("title") or key
            if _is_object(sub):
                group = Group(sub_title, address=sub.get("x-widget") == "address")
                arrays = []
                group.leaves = _leaves(sub, (key,), key in needed, (), conds, group.address, arrays)
                if group.leaves:
                    section.groups.append(group)
                for path, array, titles, own in arrays:
                    section.groups += _items(path, array, (sub_title, *titles), own, answers)
            elif is_repeating(sub):
                section.groups += _items((key,), sub, (sub_title,), conds, answers)
            else:
                loose.leaves.append(
                    Leaf((key,), sub, key in needed, sub_title, sub.get("x-widget", ""), conds)
                )
        if loose.leaves:
            section.groups.insert(0, loose)
        sections.append(section)
    return sections


def all_leaves(sections: list[Section]) -> list[Leaf]:
    return [leaf for section in sections for group in section.groups for leaf in group.leaves]


# ---------------------------------------------------------------------------- form fields


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


class CheckedText(forms.CharField):
    """An ID number, tax code or phone number, checked by the one rule of `core.ids`."""

    RULES = {
        "id_number": (ids.is_id_number, ids.ID_NUMBER_MESSAGE, "numeric"),
        # Digits only: a branch's 13 digits may be typed without the dash (normalise_tax_code).
        "tax_code": (ids.is_tax_code, ids.TAX_CODE_MESSAGE, "numeric"),
        "phone": (ids.is_phone, gettext_lazy("Số điện thoại không hợp lệ."), "tel"),
    }

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = self.RULES[kind][2]
        if kind == "phone":
            self.widget.input_type = "tel"
            self.widget.attrs["autocomplete"] = "tel"

    def clean(self, value):
        value = super().clean(value)
        if self.kind == "phone" and value:
            value = ids.normalise_phone(value)
        elif self.kind == "tax_code" and value:
            value = ids.normalise_tax_code(value)
        check, message, _mode = self.RULES[self.kind]
        if value and not check(value):
            raise forms.ValidationError(message, code="invalid")
        return value


YES, NO = "co", "khong"


class YesNoField(forms.TypedChoiceField):
    """A yes/no question as two radio buttons (a checkbox cannot say "no" on purpose)."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(YES, gettext_lazy("Có")), (NO, gettext_lazy("Không"))],
            coerce=lambda text: text == YES,
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value):
        if value is True:
            return YES
        if value is False:
            return NO
        return value


def form_field(leaf: Leaf, *, choices=None) -> forms.Field:
    """The Django field of a leaf. `choices(leaf)`: the names a province or commune leaf may
    take (the caller knows the province answered), or None for free text."""
    s = leaf.schema
    kind = s.get("type")
    common = {"label": leaf.title, "required": leaf.required}
    if s.get("description"):
        common["help_text"] = s["description"]
    names = choices(leaf) if choices is not None and leaf.widget in ADDRESS_PARTS else None
    if names is not None:
        empty = (
            _("— Chọn xã, phường, đặc khu —")
            if leaf.widget == "commune"
            else _("— Chọn tỉnh, thành phố —")
        )
        return forms.ChoiceField(choices=[("", empty)] + [(n, n) for n in names], **common)
    if "enum" in s:
        values = list(s["enum"])
        by_text = {str(v): v for v in values}
        return forms.TypedChoiceField(
            choices=[("", _("— Chọn —"))] + [(str(v), str(v)) for v in values],
            coerce=lambda text: by_text.get(text, text),
            empty_value=None,
            **common,
        )
    if kind == "string" and leaf.widget in CheckedText.RULES:
        return CheckedText(kind=leaf.widget, max_length=s.get("maxLength"), **common)
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
        return YesNoField(**common)
    return JSONText(**common, help_text=_("Nhập dạng JSON."))


def fields_for(sections: list[Section], *, choices=None) -> dict[str, forms.Field]:
    return {leaf.name: form_field(leaf, choices=choices) for leaf in all_leaves(sections)}


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _set(result: dict, path: tuple, value) -> None:
    node = result
    for key, following in zip(path[:-1], path[1:], strict=False):
        empty = [] if isinstance(following, int) else {}
        if isinstance(key, int):
            while len(node) <= key:
                node.append(None)
            if node[key] is None:
                node[key] = empty
            node = node[key]
        else:
            node = node.setdefault(key, empty)
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def _compact(value):
    """Items nobody filled in (None) leave a repeating group."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact(v) for v in value if v not in (None, {}, [])]
    return value


def answers(sections: list[Section], cleaned: dict, leaves=None) -> dict:
    """The nested form answers from a form's cleaned data; blanks are left out, so that an
    optional object nobody filled in stays absent."""
    result: dict = {}
    for leaf in leaves if leaves is not None else all_leaves(sections):
        value = cleaned.get(leaf.name)
        if value in (None, ""):
            continue
        _set(result, leaf.path, _json_value(value))
    return _compact(result)


def field_name(error_path: str) -> str | None:
    """`form.requester.full_name` (a service error) -> the form field's name."""
    parts = error_path.split(".")
    if parts[0] != "form" or len(parts) < 2:
        return None
    return SEP.join((PREFIX, *parts[1:]))


def initial_for(leaves: list[Leaf], form: dict) -> dict:
    """A form's initial values from saved answers."""
    initial = {}
    for leaf in leaves:
        value = value_at(form, leaf.path)
        if value is not None:
            initial[leaf.name] = value
    return initial


# ------------------------------------------------------------------------------- display


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
    the schema's titles, each item of a repeating group under its own title (also inside
    an object); answers the schema does not know are shown under their keys."""
    form = form if isinstance(form, dict) else {}
    sections = layout(schema, ui, form)
    shown = []
    known: set = set()
    for section in sections:
        groups = []
        for group in section.groups:
            rows = []
            for leaf in group.leaves:
                known.add(leaf.path[0])
                node = value_at(form, leaf.path)
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


# ------------------------------------------------------------------ conditional questions


def prune(sections: list[Section], answers: dict) -> dict:
    """Drop the answers of conditional questions not asked (their condition fails), so that
    an answer to a question not asked is neither checked nor stored."""
    pruned = json.loads(json.dumps(answers, default=_json_value))
    for leaf in all_leaves(sections):
        if leaf.conditions and not leaf.shown(pruned):
            parent = value_at(pruned, leaf.path[:-1]) if len(leaf.path) > 1 else pruned
            if isinstance(parent, dict):
                parent.pop(leaf.path[-1], None)
    return pruned


def _object_at(schema: dict, path: tuple) -> tuple[dict | None, bool]:
    """The schema of the object at `path` (an item of a repeating group by its index), and
    whether it is required all the way down from the top."""
    node, needed = schema, True
    for key in path:
        if not isinstance(node, dict):
            return None, False
        if isinstance(key, int):
            node = node.get("items")
            continue
        needed = needed and key in (node.get("required") or [])
        node = (node.get("properties") or {}).get(key)
    return (node, needed) if isinstance(node, dict) else (None, False)


def required_when_asked(schema: dict, leaf: Leaf, answers: dict) -> bool:
    """A conditional question named in the `required` of a `then` whose `if` holds: required
    once asked (when its object is required, or has answers)."""
    where, key = leaf.path[:-1], leaf.path[-1]
    parent, needed = _object_at(schema if isinstance(schema, dict) else {}, where)
    if parent is None:
        return False
    rules = [parent] + [r for r in parent.get("allOf") or [] if isinstance(r, dict)]
    for rule in rules:
        test, then = rule.get("if"), rule.get("then")
        if not isinstance(test, dict) or not isinstance(then, dict):
            continue
        if key in (then.get("required") or []) and Condition(where, test).holds(answers):
            return needed or bool(value_at(answers, where))
    return False


def controllers(leaves: list[Leaf]) -> set[str]:
    """The field names of the answers the conditions of `leaves` depend on."""
    names = set()
    for leaf in leaves:
        for condition in leaf.conditions:
            test = condition.test
            keys = list(test.get("properties") or {}) + list(test.get("required") or [])
            for key in keys:
                if isinstance(key, str):
                    names.add(SEP.join((PREFIX, *(str(p) for p in condition.where), key)))
    return names


def answers_in_place(leaves: list[Leaf], cleaned: dict) -> dict:
    """Like `answers`, but each item of a repeating group keeps its place on the page (an
    empty one is None), so that an item's conditions are checked against that item."""
    result: dict = {}
    for leaf in leaves:
        value = cleaned.get(leaf.name)
        if value not in (None, ""):
            _set(result, leaf.path, _json_value(value))
    return result
