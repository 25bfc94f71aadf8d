"""The e-form from a procedure's JSON Schema: widgets per type, nested objects, answers back."""

from datetime import date

import pytest
from django import forms

from motcua.dossiers import eform

SCHEMA = {
    "type": "object",
    "required": ["requester", "copies"],
    "properties": {
        "requester": {
            "type": "object",
            "title": "Người yêu cầu",
            "required": ["full_name"],
            "properties": {
                "full_name": {"type": "string", "title": "Họ và tên", "maxLength": 100},
                "born": {"type": "string", "format": "date", "title": "Ngày sinh"},
                "sex": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
            },
        },
        "witness": {
            "type": "object",
            "title": "Người làm chứng",
            "required": ["full_name"],
            "properties": {"full_name": {"type": "string", "title": "Họ và tên"}},
        },
        "copies": {"type": "integer", "title": "Số bản sao", "minimum": 0, "maximum": 10},
        "area": {"type": "number", "title": "Diện tích (m²)"},
        "urgent": {"type": "boolean", "title": "Cần gấp"},
        "children": {"type": "array", "title": "Các con", "items": {"type": "string"}},
    },
}
UI = {"sections": [{"title": "Người yêu cầu", "fields": ["requester", "witness"]}]}


class EForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = eform.layout(SCHEMA, UI)
        self.fields.update(eform.fields_for(self.sections))


def test_fields_by_type_and_requiredness():
    fields = EForm().fields
    assert isinstance(fields["tk__requester__full_name"], forms.CharField)
    assert fields["tk__requester__full_name"].required
    assert isinstance(fields["tk__requester__born"].widget, eform.DateInput)
    assert [c[0] for c in fields["tk__requester__sex"].choices] == ["", "Nam", "Nữ"]
    # Required inside an optional object: only when the object is given (the service checks).
    assert not fields["tk__witness__full_name"].required
    assert isinstance(fields["tk__copies"], forms.IntegerField) and fields["tk__copies"].required
    assert isinstance(fields["tk__area"], forms.DecimalField)
    assert isinstance(fields["tk__urgent"], eform.YesNoField)
    assert isinstance(fields["tk__children"], eform.JSONText)


def test_sections_follow_the_ui_then_the_rest():
    sections = eform.layout(SCHEMA, UI)
    assert [s.title for s in sections] == ["Người yêu cầu", "Thông tin khác"]
    assert [g.title for g in sections[0].groups] == ["Người yêu cầu", "Người làm chứng"]


def test_answers_are_nested_typed_and_without_blanks():
    form = EForm(
        {
            "tk__requester__full_name": "Lý Thị Mai",
            "tk__requester__born": "1990-02-03",
            "tk__requester__sex": "Nữ",
            "tk__copies": "2",
            "tk__area": "45.5",
            "tk__children": '["An", "Bình"]',
        }
    )
    assert form.is_valid(), form.errors
    answers = eform.answers(form.sections, form.cleaned_data)
    assert answers == {
        "requester": {"full_name": "Lý Thị Mai", "born": date(1990, 2, 3).isoformat(), "sex": "Nữ"},
        "copies": 2,
        "area": 45.5,
        "children": ["An", "Bình"],
    }


def test_bad_json_and_out_of_range_numbers_are_field_errors():
    form = EForm({"tk__requester__full_name": "A", "tk__copies": "11", "tk__children": "[oops"})
    assert not form.is_valid()
    assert set(form.errors) == {"tk__copies", "tk__children"}


def test_a_schema_without_layout_is_one_section():
    assert [s.title for s in eform.layout(SCHEMA, {})] == [""]


def test_answers_shown_by_titles_with_unknown_keys_kept():
    shown = eform.shown_answers(
        SCHEMA, UI, {"requester": {"full_name": "Lý Thị Mai"}, "urgent": True, "legacy": "x"}
    )
    assert shown[0] == ("Người yêu cầu", [("Người yêu cầu", [("Họ và tên", "Lý Thị Mai")])])
    assert shown[1] == ("Thông tin khác", [("", [("Cần gấp", "Có")])])
    assert shown[2] == ("Nội dung ngoài tờ khai", [("", [("legacy", "x")])])


def test_service_error_paths_map_to_fields():
    assert eform.field_name("form.requester.full_name") == "tk__requester__full_name"
    assert eform.field_name("applicant.phone") is None


FAMILY = {
    "type": "object",
    "required": ["members"],
    "properties": {
        "married": {"type": "boolean", "title": "Đã kết hôn"},
        "spouse": {"type": "string", "title": "Họ tên vợ/chồng"},
        "applicant_id": {"type": "string", "title": "Số định danh", "x-widget": "id_number"},
        "phone": {"type": "string", "title": "Điện thoại", "x-widget": "phone"},
        "tax": {"type": "string", "title": "Mã số thuế", "x-widget": "tax_code"},
        "home": {
            "type": "object",
            "title": "Nơi ở",
            "x-widget": "address",
            "required": ["province", "commune"],
            "properties": {
                "province": {"type": "string", "title": "Tỉnh"},
                "commune": {"type": "string", "title": "Xã"},
                "detail": {"type": "string", "title": "Số nhà"},
            },
        },
        "members": {
            "type": "array",
            "title": "Thành viên",
            "items": {
                "type": "object",
                "required": ["full_name"],
                "properties": {
                    "full_name": {"type": "string", "title": "Họ tên"},
                    "born": {"type": "string", "format": "date", "title": "Ngày sinh"},
                },
            },
        },
    },
    "allOf": [
        {
            "if": {"properties": {"married": {"const": True}}, "required": ["married"]},
            "then": {"required": ["spouse"]},
        }
    ],
}


def test_a_repeating_group_has_one_group_per_item_and_answers_as_a_list():
    sections = eform.layout(FAMILY, {}, {"members": [{"full_name": "A"}, {"full_name": "B"}]})
    items = [g for g in sections[0].groups if g.array == ("members",)]
    assert [(g.index, g.last) for g in items] == [(0, False), (1, True)]
    assert items[1].leaves[0].name == "tk__members__1__full_name"
    assert len([g for g in eform.layout(FAMILY, {}).pop().groups if g.array]) == 1
    cleaned = {
        "tk__members__0__full_name": "An",
        "tk__members__1__full_name": "",
        "tk__members__2__full_name": "Chi",
        "tk__members__2__born": date(2001, 1, 2),
    }
    sections = eform.layout(FAMILY, {}, {"members": [{}, {}, {}]})
    assert eform.answers(sections, cleaned) == {
        "members": [{"full_name": "An"}, {"full_name": "Chi", "born": "2001-01-02"}]
    }


def test_a_conditional_question_is_asked_only_when_its_condition_holds():
    spouse = next(
        leaf for leaf in eform.all_leaves(eform.layout(FAMILY, {})) if leaf.path == ("spouse",)
    )
    assert not spouse.shown({}) and not spouse.shown({"married": False})
    assert spouse.shown({"married": True})
    assert spouse.conditions[0].simple() == ("married", [True])


def test_checked_text_widgets_use_the_one_rule_of_core_ids():
    fields = eform.fields_for(eform.layout(FAMILY, {}))
    id_field, phone, tax = fields["tk__applicant_id"], fields["tk__phone"], fields["tk__tax"]
    assert id_field.clean("001090000001") == "001090000001"
    with pytest.raises(forms.ValidationError):
        id_field.clean("999090000001")  # no such province
    assert phone.clean("0912 345.678") == "0912345678"
    with pytest.raises(forms.ValidationError):
        phone.clean("12345")
    with pytest.raises(forms.ValidationError):
        tax.clean("0100109107")  # wrong check digit
    # A branch on the number pad: 13 digits, the dash put back.
    assert tax.widget.attrs["inputmode"] == "numeric"
    assert tax.clean("0100109106001") == "0100109106-001"
    yes_no = fields["tk__married"]
    assert yes_no.clean("co") is True and yes_no.clean("khong") is False


def test_address_parts_choose_among_the_names_given():
    choices = {"province": ["Phú Thọ"], "commune": ["Phường Phúc Yên"]}
    fields = eform.fields_for(eform.layout(FAMILY, {}), choices=lambda leaf: choices[leaf.widget])
    assert fields["tk__home__province"].clean("Phú Thọ") == "Phú Thọ"
    with pytest.raises(forms.ValidationError):
        fields["tk__home__commune"].clean("Phường Khác")
    # Without choices (the counter screen), the parts are typed.
    assert isinstance(
        eform.fields_for(eform.layout(FAMILY, {}))["tk__home__province"], forms.CharField
    )


def test_questions_keep_the_order_written_even_when_the_keys_do_not():
    from motcua.catalog.services import with_property_order

    schema = with_property_order(
        {"type": "object", "properties": {"zeta": {"type": "string"}, "alpha": {"type": "string"}}}
    )
    assert schema["x-order"] == ["zeta", "alpha"]
    # What jsonb gives back: keys sorted.
    stored = {
        "type": "object",
        "x-order": schema["x-order"],
        "properties": {"alpha": {}, "zeta": {}},
    }
    stored["properties"] = {"alpha": {"type": "string"}, "zeta": {"type": "string"}}
    assert [leaf.path for leaf in eform.all_leaves(eform.layout(stored, {}))] == [
        ("zeta",),
        ("alpha",),
    ]
    assert with_property_order(schema) == schema  # importing again changes nothing
