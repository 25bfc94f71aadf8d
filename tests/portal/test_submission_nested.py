"""A repeating group inside an object (children of the requester's household) on the portal:
asked with its object, filled, added and removed without a script, saved at its nested
path, checked by the schema and shown back by its titles."""

import pytest

from motcua.catalog import services
from motcua.dossiers import eform
from motcua.dossiers.models import Dossier, Status
from motcua.portal.submission.forms import pages_of
from tests.catalog import factories

from . import submission_data as data
from .catalog_data import COMMUNE

pytestmark = pytest.mark.django_db

CODE = "2.900001"
CHILD = {
    "type": "object",
    "required": ["full_name", "date_of_birth"],
    "properties": {
        "full_name": {"type": "string", "title": "Họ và tên con", "maxLength": 100},
        "date_of_birth": {"type": "string", "format": "date", "title": "Ngày sinh của con"},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["requester"],
    "properties": {
        "requester": {
            "type": "object",
            "title": "Người kê khai",
            "required": ["full_name", "household"],
            "properties": {
                "full_name": {"type": "string", "title": "Họ và tên", "maxLength": 100},
                "household": {
                    "type": "object",
                    "title": "Hộ gia đình",
                    "required": ["children"],
                    "properties": {
                        "address": {"type": "string", "title": "Nơi cư trú"},
                        "children": {
                            "type": "array",
                            "title": "Con",
                            "minItems": 1,
                            "items": CHILD,
                        },
                    },
                },
            },
        },
        "note": {"type": "string", "title": "Ghi chú"},
    },
}
UI = {"sections": [{"title": "Người kê khai", "fields": ["requester"]}]}
ITEM = "tk__requester__household__children__{}__{}"
COUNT = "requester__household__children__items"
REQUESTER = {
    "tk__requester__full_name": "Trần Thị Mai",
    "tk__requester__household__address": "Phúc Yên, Phú Thọ",
}
FIRST = {
    COUNT: "1",
    ITEM.format(0, "full_name"): "Lê Văn Ba",
    ITEM.format(0, "date_of_birth"): "2015-03-04",
}
SECOND = {ITEM.format(1, "full_name"): "Lê Thị Tư", ITEM.format(1, "date_of_birth"): "2018-09-10"}


@pytest.fixture
def signed_in(client, db):
    data.build(birth_only=True)
    services.import_procedure(
        factories.procedure_data(
            code=CODE,
            name="Xác nhận thông tin hộ gia đình",
            sector="ho-tich",
            agencies=[COMMUNE],
            online_level="full",
            form_schema=SCHEMA,
            form_ui=UI,
            components=[],
        )
    )
    client.force_login(data.citizen())
    return client


def start(client) -> Dossier:
    response = client.post(
        f"/thu-tuc/{CODE}/nop-ho-so/", {"agency": COMMUNE, "applicant": "self", "key": "n1"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Dossier.objects.filter(status=Status.DRAFT).latest("id")


def page(draft, number=0) -> str:
    return f"/nop-ho-so/{draft.pk}/trang/{number}/"


def test_the_nested_group_is_asked_as_fields_on_its_objects_page(signed_in):
    draft = start(signed_in)
    html = signed_in.get(page(draft)).content.decode()
    assert "Nhập dạng JSON." not in html
    assert 'name="tk__requester__household__children"' not in html
    assert f'name="{ITEM.format(0, "full_name")}"' in html
    assert f'name="{ITEM.format(0, "date_of_birth")}"' in html and 'type="date"' in html
    # With the object's own questions, on one page.
    assert 'name="tk__requester__full_name"' in html
    assert "Người kê khai — Hộ gia đình — Con (1)" in html
    assert f'name="{COUNT}" value="1"' in html
    assert 'value="add:requester.household.children"' in html
    tasks = signed_in.get(f"/nop-ho-so/{draft.pk}/").content.decode()
    assert tasks.count("Chưa xong") == 2  # the one page and the attachments


def test_items_are_added_and_removed_without_script_at_the_nested_path(signed_in):
    draft = start(signed_in)
    added = signed_in.post(
        page(draft), {**REQUESTER, **FIRST, "action": "add:requester.household.children"}
    )
    html = added.content.decode()
    assert added.status_code == 200 and "error-summary" not in html
    assert f'name="{ITEM.format(1, "full_name")}"' in html and 'value="Lê Văn Ba"' in html
    assert f'name="{COUNT}" value="2"' in html
    draft.refresh_from_db()
    assert draft.form["requester"]["household"]["children"] == [
        {"full_name": "Lê Văn Ba", "date_of_birth": "2015-03-04"}
    ]
    both = {**REQUESTER, **FIRST, **SECOND, COUNT: "2"}
    removed = signed_in.post(
        page(draft), {**both, "action": "remove:requester.household.children.0"}
    )
    html = removed.content.decode()
    assert f'name="{ITEM.format(1, "full_name")}"' not in html
    assert 'value="Lê Thị Tư"' in html and 'value="Lê Văn Ba"' not in html
    draft.refresh_from_db()
    assert draft.form["requester"] == {
        "full_name": "Trần Thị Mai",
        "household": {
            "address": "Phúc Yên, Phú Thọ",
            "children": [{"full_name": "Lê Thị Tư", "date_of_birth": "2018-09-10"}],
        },
    }
    # Removing the only item leaves one empty item to fill: minItems is 1.
    only = {**REQUESTER, COUNT: "1", ITEM.format(0, "full_name"): "Lê Thị Tư"}
    html = signed_in.post(
        page(draft), {**only, "action": "remove:requester.household.children.0"}
    ).content.decode()
    assert f'name="{ITEM.format(0, "full_name")}"' in html
    assert 'value="add:requester.household.children"' in html


def test_an_error_inside_an_item_shows_by_the_field_and_keeps_every_answer(signed_in):
    draft = start(signed_in)
    answers = {**REQUESTER, **FIRST, **SECOND, COUNT: "2", ITEM.format(1, "full_name"): ""}
    response = signed_in.post(page(draft), {**answers, "action": "continue"})
    html = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in html
    missing = ITEM.format(1, "full_name")
    assert f'href="#id_{missing}"' in html
    assert "Họ và tên con: Bắt buộc nhập." in html
    assert f'<div class="field field--error"><label for="id_{missing}"' in html
    for value in ("Trần Thị Mai", "Lê Văn Ba", "2015-03-04", "2018-09-10"):
        assert f'value="{value}"' in html
    draft.refresh_from_db()
    assert draft.draft.done == []
    assert draft.form["requester"]["household"]["children"][1] == {"date_of_birth": "2018-09-10"}
    # A group left empty: minItems asks for one child.
    empty = {**REQUESTER, COUNT: "1", "action": "continue"}
    html = signed_in.post(page(draft), empty).content.decode()
    assert "Bắt buộc nhập." in html and 'class="error-summary"' in html


def test_check_page_and_dossier_show_the_nested_items_by_their_titles(signed_in):
    draft = start(signed_in)
    answers = {**REQUESTER, **FIRST, **SECOND, COUNT: "2", "action": "continue"}
    assert signed_in.post(page(draft), answers).status_code == 302
    draft.refresh_from_db()
    assert draft.draft.done == ["0"]
    check = signed_in.get(f"/nop-ho-so/{draft.pk}/kiem-tra/").content.decode()
    assert "Người kê khai — Hộ gia đình — Con (2) — Họ và tên con" in check
    assert "<dd>Lê Thị Tư</dd>" in check and "<dd>2015-03-04</dd>" in check
    assert '"full_name"' not in check and "[{" not in check  # not JSON
    response = signed_in.post(f"/nop-ho-so/{draft.pk}/kiem-tra/")
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get(pk=draft.pk)
    assert dossier.status == Status.SUBMITTED
    assert dossier.form["requester"]["household"]["children"][1]["full_name"] == "Lê Thị Tư"
    shown = eform.shown_answers(SCHEMA, UI, dossier.form)
    groups = dict(shown[0][1])
    assert groups["Người kê khai — Hộ gia đình — Con (2)"] == [
        ("Họ và tên con", "Lê Thị Tư"),
        ("Ngày sinh của con", "2018-09-10"),
    ]


def test_a_long_section_keeps_the_nested_group_on_its_objects_page():
    many = {f"q{n}": {"type": "string", "title": f"Câu {n}"} for n in range(12)}
    schema = {
        "type": "object",
        "properties": {
            "other": {"type": "object", "title": "Khác", "properties": many},
            **SCHEMA["properties"],
        },
    }
    answers = {"requester": {"household": {"children": [{}, {}]}}}
    pages = pages_of(eform.layout(schema, {}, answers))
    assert [p.title for p in pages] == ["Khác", "Người kê khai", ""]
    requester = pages[1]
    assert [g.title for g in requester.groups] == [
        "Người kê khai",
        "Người kê khai — Hộ gia đình — Con (1)",
        "Người kê khai — Hộ gia đình — Con (2)",
    ]


def test_tampered_item_counts_and_actions_are_refused_quietly(signed_in):
    draft = start(signed_in)
    for changed in (
        {COUNT: "abc", "action": "add:requester.household.children"},
        {COUNT: "-3", "action": "remove:requester.household.children.x"},
        {COUNT: "99999", "action": "add:requester.nothing"},
        {"action": "remove:"},
    ):
        response = signed_in.post(page(draft), {**REQUESTER, **FIRST, **changed})
        assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.form["requester"]["household"]["children"][0]["full_name"] == "Lê Văn Ba"
    # At most 50 items are read from one page, whatever count is posted.
    many = {**REQUESTER, **FIRST, COUNT: "99999", ITEM.format(60, "full_name"): "Người thừa"}
    signed_in.post(page(draft), {**many, "action": "leave"})
    draft.refresh_from_db()
    assert [c["full_name"] for c in draft.form["requester"]["household"]["children"]] == [
        "Lê Văn Ba"
    ]
