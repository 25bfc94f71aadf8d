"""The e-form from a procedure's JSON Schema: widgets per type, nested objects, answers back."""

from datetime import date

from django import forms

from motcua.backoffice import eform

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
    assert isinstance(fields["tk__urgent"], forms.BooleanField)
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
