"""Pre-filling an e-form from the population registry (issue 4, item 2).

A procedure's JSON Schema binds fields to the registry with `x-registry` (docs/catalog.md):

- on a leaf, `"x-registry": "<attribute>"`: the resident's own data, one of `ATTRIBUTES`
  (id_number, full_name, date_of_birth, sex, ethnicity, nationality, permanent_address,
  current_address), wherever the leaf sits (`requester.full_name`, `residence_address` …);
- on a leaf, `"x-registry": "household.<relation>.<attribute>"`: a member of the resident's
  household, the first whose relationship to the resident is `<relation>` (`spouse`,
  `child`, `father`, `mother`, or the registry's own word such as `Con`), and one of that
  member's attributes (`id_number`, `full_name`, `date_of_birth`, `relationship`);
- on an array of objects, `"x-registry": "household"`: one item per household member, the
  item's leaves bound with the member attributes above (`"x-registry": "full_name"` …).

A value is filled only when the leaf's own schema accepts it (type, enum, pattern, length,
format), so a pre-filled answer never fails validation; dates become ISO strings. `sources`
holds the dotted path of every filled leaf (`requester.full_name`, `members.0.full_name`):
the page marks those as coming from the registry, and the submission re-checks the ones the
applicant kept (`kept_from_registry`) before counting the dossier for indicator 5.6.
"""

from dataclasses import dataclass, field
from datetime import date

import jsonschema

from .residents import ATTRIBUTES, Resident

MEMBER_ATTRIBUTES = ("id_number", "full_name", "date_of_birth", "relationship")
# The relations a binding may name, and the registry's words for them.
RELATIONS = {
    "spouse": ("Vợ", "Chồng"),
    "child": ("Con", "Con đẻ", "Con nuôi"),
    "father": ("Cha", "Bố", "Cha đẻ"),
    "mother": ("Mẹ", "Mẹ đẻ"),
}
HOUSEHOLD = "household"


@dataclass(frozen=True)
class Prefill:
    answers: dict = field(default_factory=dict)
    sources: frozenset[str] = frozenset()


def prefill(schema: dict, resident: Resident | None) -> Prefill:
    """The answers the registry gives for this form (nested like the form) and the dotted
    paths they fill. Nothing when there is no resident or no binding."""
    if not isinstance(schema, dict) or resident is None:
        return Prefill()
    sources: set[str] = set()
    answers = _object(schema, resident, [], sources, member=None)
    return Prefill(answers=answers or {}, sources=frozenset(sources))


def _object(node: dict, resident: Resident, path: list[str], sources: set, member) -> dict:
    answers = {}
    for name, child in (node.get("properties") or {}).items():
        if not isinstance(child, dict):
            continue
        here = [*path, str(name)]
        value = _node(child, resident, here, sources, member)
        if value is not None:
            answers[name] = value
    return answers


def _node(node: dict, resident: Resident, path: list[str], sources: set, member):
    binding = node.get("x-registry")
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return _object(node, resident, path, sources, member) or None
    if kind == "array" and binding == HOUSEHOLD and member is None:
        return _household(node, resident, path, sources)
    if not isinstance(binding, str) or not binding:
        return None
    value = _resolve(binding, resident, member)
    if isinstance(value, date):
        value = value.isoformat()
    if value in (None, "") or not _accepts(node, value):
        return None
    sources.add(".".join(path))
    return value


def _household(node: dict, resident: Resident, path: list[str], sources: set):
    items = node.get("items")
    if not isinstance(items, dict) or not resident.household:
        return None
    limit = node.get("maxItems")
    members = resident.household[:limit] if isinstance(limit, int) else resident.household
    filled = []
    for member in members:
        item_path = [*path, str(len(filled))]
        found: set[str] = set()
        value = _node(items, resident, item_path, found, member)
        if value is None:
            continue
        filled.append(value)
        sources |= found
    return filled or None


def _resolve(binding: str, resident: Resident, member):
    if member is not None:
        # Inside a `household` array: the leaf names an attribute of the member.
        return member.get(binding) if binding in MEMBER_ATTRIBUTES else None
    if binding in ATTRIBUTES:
        return getattr(resident, binding, None)
    parts = binding.split(".")
    if len(parts) == 3 and parts[0] == HOUSEHOLD and parts[2] in MEMBER_ATTRIBUTES:
        found = find_member(resident, parts[1])
        return found.get(parts[2]) if found else None
    return None


def find_member(resident: Resident, relation: str):
    """The first household member who is `relation` (a RELATIONS key or the registry's own
    word) to the resident, or None."""
    words = RELATIONS.get(relation, (relation,))
    wanted = {word.casefold() for word in words}
    for member in resident.household:
        if (member.get("relationship") or "").strip().casefold() in wanted:
            return member
    return None


def _accepts(node: dict, value) -> bool:
    leaf = {key: item for key, item in node.items() if not key.startswith("x-")}
    validator_cls = jsonschema.validators.validator_for(
        leaf, default=jsonschema.Draft202012Validator
    )
    validator = validator_cls(leaf, format_checker=validator_cls.FORMAT_CHECKER)
    return validator.is_valid(value)


# ------------------------------------------------------------------------- on submission


def value_at(answers, path: str):
    """The answer at a dotted path (`members.0.full_name`), or None."""
    current = answers
    for part in path.split("."):
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def kept_from_registry(schema: dict, form: dict, resident: Resident | None, claimed) -> list[str]:
    """Of the paths the applicant says were pre-filled and kept, those that the registry
    does fill and whose answer is still the registry's value (sorted). A changed answer,
    or a path the registry does not fill, does not count."""
    if resident is None or not isinstance(claimed, list | tuple | set | frozenset):
        return []
    filled = prefill(schema, resident)
    kept = set()
    for path in claimed:
        if not isinstance(path, str) or path not in filled.sources:
            continue
        given = value_at(form, path)
        if given is not None and given == value_at(filled.answers, path):
            kept.add(path)
    return sorted(kept)
