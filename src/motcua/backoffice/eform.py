"""The e-form on the counter screen: a procedure's schema walked by `dossiers.eform`, with its
repeating groups (family members …) at the top level and inside objects.

An officer types a paper dossier in one page, so everything lives in the posted form: each
repeating group's number of items travels in a hidden input (`count_name`), and "add an
item" / "remove this item" are submit buttons (`action=add:<path>`, `remove:<path>.<i>`)
that post the page and get it back with one item more or less and every answer kept. No
JavaScript needed; with htmx only the e-form is swapped, so the files already chosen for the
components stay chosen.

A conditional question is on the page only while its condition holds for the answers typed
so far. Changing an answer a condition depends on re-renders the e-form (htmx); without
JavaScript, "update the questions" (`action=update`) posts the page and gets it back the
same way as the item buttons. An answer to a question not asked is dropped.
"""

from dataclasses import dataclass, replace

from motcua.dossiers import eform

MAX_ITEMS = 50
ADD, REMOVE = "add:", "remove:"
UPDATE = "update"


def count_name(path: tuple) -> str:
    """The hidden input holding how many items a repeating group shows."""
    return eform.SEP.join(("items", *path))


def layout(procedure, counts: dict[tuple, int] | None = None) -> list[eform.Section]:
    """The counter's sections, each repeating group with `counts[path]` items."""
    shape: dict = {}
    for path, count in (counts or {}).items():
        node = shape
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = [{}] * count
    return eform.layout(procedure.form_schema, procedure.form_ui, shape)


def arrays_of(sections: list[eform.Section]) -> list[tuple]:
    """The paths of the repeating groups of a layout."""
    found = [g.array for s in sections for g in s.groups if g.array is not None]
    return list(dict.fromkeys(found))


def posted_counts(data, arrays: list[tuple]) -> dict[tuple, int]:
    """How many items each repeating group had on the page that was posted."""
    counts = {}
    for path in arrays:
        try:
            counts[path] = int(data.get(count_name(path), 1))
        except (TypeError, ValueError):
            counts[path] = 1
        counts[path] = max(1, min(counts[path], MAX_ITEMS))
    return counts


def _parse(action: str, arrays: list[tuple]):
    """("add", path, None) or ("remove", path, index) for a known group, else None."""
    if action.startswith(ADD):
        path = tuple(action[len(ADD) :].split("."))
        return ("add", path, None) if path in arrays else None
    if action.startswith(REMOVE):
        dotted, _, index = action[len(REMOVE) :].rpartition(".")
        path = tuple(dotted.split("."))
        if path in arrays and index.isdigit():
            return "remove", path, int(index)
    return None


def _without_item(data: dict[str, list], path: tuple, index: int) -> dict[str, list]:
    """The posted values with item `index` of the group gone and the later ones moved up."""
    prefix = eform.SEP.join((eform.PREFIX, *path)) + eform.SEP
    kept = {}
    for name, values in data.items():
        if name.startswith(prefix):
            head, sep, tail = name[len(prefix) :].partition(eform.SEP)
            if head.isdigit():
                at = int(head)
                if at == index:
                    continue
                if at > index:
                    name = f"{prefix}{at - 1}{sep}{tail}"
        kept[name] = values
    return kept


@dataclass
class ItemAction:
    """What an add or remove button asked for: the page again with `counts` and `initial`."""

    counts: dict[tuple, int]
    initial: dict


def item_action(procedure, data) -> ItemAction | None:
    """The add/remove (or update-the-questions) button pressed in posted `data` (a
    QueryDict), if any."""
    arrays = arrays_of(layout(procedure))
    action = data.get("action") or ""
    asked = _parse(action, arrays)
    if asked is None and action != UPDATE:
        return None
    counts = posted_counts(data, arrays)
    values = {name: data.getlist(name) for name in data}
    if asked is not None:
        kind, path, index = asked
        if kind == "add":
            counts[path] = min(counts[path] + 1, MAX_ITEMS)
        else:
            values = _without_item(values, path, index)
            counts[path] = max(counts[path] - 1, 1)
    initial = {name: v[0] if len(v) == 1 else v for name, v in values.items()}
    initial.pop("action", None)
    return ItemAction(counts, initial)


def item_index_map(sections: list[eform.Section], cleaned: dict) -> dict[tuple, list[int]]:
    """For each repeating group, the items on the page that hold answers, in order: the
    answers leave empty items out, so item `k` of the answers is item `map[k]` on the page
    (a service error about `members.0` may be about the page's second item)."""
    kept: dict[tuple, list[int]] = {}
    for section in sections:
        for group in section.groups:
            if group.array is None:
                continue
            filled = any(cleaned.get(leaf.name) not in (None, "") for leaf in group.leaves)
            kept.setdefault(group.array, [])
            if filled:
                kept[group.array].append(group.index)
    return kept


def page_path(error_path: str, index_map: dict[tuple, list[int]]) -> str:
    """A service error's path (`form.members.0.full_name`) with the item numbered as on
    the page."""
    parts = error_path.split(".")
    for path, kept in index_map.items():
        n = len(path)
        head = parts[1 : 1 + n]
        if parts[:1] == ["form"] and tuple(head) == path and len(parts) > n + 1:
            position = parts[1 + n]
            if position.isdigit() and int(position) < len(kept):
                parts[1 + n] = str(kept[int(position)])
            break
    return ".".join(parts)


def only_asked(sections: list[eform.Section], asked: set[str]) -> list[eform.Section]:
    """The sections with the questions in `asked` only; a group whose questions are all
    left out (a conditional object or repeating group not asked) goes too."""
    kept = []
    for section in sections:
        groups = []
        for group in section.groups:
            leaves = [leaf for leaf in group.leaves if leaf.name in asked]
            if leaves or not group.leaves:
                groups.append(replace(group, leaves=leaves))
        kept.append(replace(section, groups=groups))
    # The "add an item" button follows the last item still on the page.
    items = [g for s in kept for g in s.groups if g.array is not None]
    for at, group in enumerate(items):
        group.last = all(later.array != group.array for later in items[at + 1 :])
    return kept
