"""The counter's e-form: repeating groups at the top level and inside objects, their item
counts carried by the page, items added and removed without losing an answer."""

from types import SimpleNamespace

from django.http import QueryDict

from motcua.backoffice import eform as counter
from motcua.dossiers import eform

from .test_counter import HOUSEHOLD

PROCEDURE = SimpleNamespace(form_schema=HOUSEHOLD, form_ui={})
ARRAYS = [("members",), ("household", "people")]


def posted(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def test_groups_inside_objects_are_repeating_groups():
    sections = counter.layout(PROCEDURE, {("household", "people"): 2})
    assert counter.arrays_of(sections) == ARRAYS
    people = [g for g in sections[0].groups if g.array == ("household", "people")]
    assert [(g.title, g.index, g.last) for g in people] == [
        ("Hộ gia đình — Nhân khẩu (1)", 0, False),
        ("Hộ gia đình — Nhân khẩu (2)", 1, True),
    ]
    assert [leaf.name for leaf in people[1].leaves] == [
        "tk__household__people__1__name",
        "tk__household__people__1__relation",
    ]
    # The portal walks the same schema the same way: no JSON box for the group.
    portal = [leaf.name for leaf in eform.all_leaves(eform.layout(HOUSEHOLD, {}))]
    assert "tk__household__people__0__name" in portal and "tk__household__people" not in portal


def test_answers_of_groups_inside_objects_nest_as_lists():
    sections = counter.layout(PROCEDURE, {("household", "people"): 3})
    cleaned = {
        "tk__household__people__0__name": "A",
        "tk__household__people__2__name": "C",
        "tk__members__0__full_name": "M",
    }
    assert eform.answers(sections, cleaned) == {
        "members": [{"full_name": "M"}],
        "household": {"people": [{"name": "A"}, {"name": "C"}]},
    }


def test_counts_come_from_the_page_within_bounds():
    data = posted(items__members="3", **{"items__household__people": "abc"})
    assert counter.posted_counts(data, ARRAYS) == {("members",): 3, ("household", "people"): 1}
    assert counter.posted_counts(posted(items__members="9999"), ARRAYS)[("members",)] == 50
    assert counter.posted_counts(posted(items__members="0"), ARRAYS)[("members",)] == 1


def test_adding_keeps_the_answers_and_counts_one_more():
    data = posted(items__members="1", tk__members__0__full_name="Một", action="add:members")
    asked = counter.item_action(PROCEDURE, data)
    assert asked.counts[("members",)] == 2
    assert asked.initial["tk__members__0__full_name"] == "Một"
    assert "action" not in asked.initial


def test_removing_moves_the_later_items_up_in_nested_groups_too():
    data = posted(
        items__household__people="3",
        tk__household__people__0__name="A",
        tk__household__people__1__name="B",
        tk__household__people__2__name="C",
        tk__household__people__2__relation="Con",
        tk__household__head="Chủ",
        action="remove:household.people.1",
    )
    asked = counter.item_action(PROCEDURE, data)
    assert asked.counts[("household", "people")] == 2
    assert {k: v for k, v in asked.initial.items() if k.startswith("tk__")} == {
        "tk__household__people__0__name": "A",
        "tk__household__people__1__name": "C",
        "tk__household__people__1__relation": "Con",
        "tk__household__head": "Chủ",
    }


def test_unknown_or_malformed_actions_are_not_item_actions():
    for action in ("", "add:nowhere", "remove:members", "remove:members.x", "add:household"):
        assert counter.item_action(PROCEDURE, posted(action=action)) is None


def test_service_error_paths_follow_the_items_shown():
    sections = counter.layout(PROCEDURE, {("members",): 3})
    cleaned = {"tk__members__1__full_name": "B", "tk__members__2__full_name": "C"}
    kept = counter.item_index_map(sections, cleaned)
    assert kept[("members",)] == [1, 2]
    assert counter.page_path("form.members.0.full_name", kept) == "form.members.1.full_name"
    assert counter.page_path("form.members.1.full_name", kept) == "form.members.2.full_name"
    assert counter.page_path("form.members", kept) == "form.members"
    assert counter.page_path("applicant.phone", kept) == "applicant.phone"


def test_the_dossier_page_shows_each_item_of_a_group_inside_an_object():
    answers = {
        "child_name": "Bé",
        "household": {"head": "Chủ", "people": [{"name": "A"}, {"name": "B", "relation": "Con"}]},
    }
    shown = dict(eform.shown_answers(HOUSEHOLD, {}, answers)[0][1])
    assert shown["Hộ gia đình"] == [("Chủ hộ", "Chủ")]
    assert shown["Hộ gia đình — Nhân khẩu (1)"] == [("Tên nhân khẩu", "A")]
    assert shown["Hộ gia đình — Nhân khẩu (2)"] == [
        ("Tên nhân khẩu", "B"),
        ("Quan hệ với chủ hộ", "Con"),
    ]
