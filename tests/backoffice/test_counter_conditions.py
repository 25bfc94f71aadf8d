"""Counter reception: a conditional question of the e-form is asked only when its condition
holds for the answers typed so far; the e-form follows the answers (htmx, or the "update the
questions" button without a script), and an answer to a question not asked is never stored."""

import re

import pytest

from motcua.catalog import services as catalog
from motcua.dossiers.models import Dossier
from tests.dossiers import factories

from .test_counter import COUNTER, inputs, valid_post, value_of

BIRTH = {
    "type": "object",
    "required": ["child_name", "married"],
    "properties": {
        "child_name": {"type": "string", "title": "Họ, chữ đệm, tên"},
        "married": {"type": "boolean", "title": "Cha mẹ đã đăng ký kết hôn"},
        "marriage_number": {"type": "string", "title": "Số giấy chứng nhận kết hôn"},
        "siblings": {
            "type": "array",
            "title": "Anh chị em ruột",
            "items": {
                "type": "object",
                "required": ["full_name"],
                "properties": {
                    "full_name": {"type": "string", "title": "Họ tên anh chị em"},
                    "relation": {"type": "string", "title": "Quan hệ", "enum": ["Anh", "Em"]},
                    "school": {"type": "string", "title": "Trường đang học"},
                },
                "if": {"required": ["relation"], "properties": {"relation": {"const": "Em"}}},
                "then": {"required": ["school"]},
            },
        },
    },
    "if": {"required": ["married"], "properties": {"married": {"const": True}}},
    "then": {"required": ["marriage_number"]},
}


@pytest.fixture
def birth(w):
    """The world's procedure in a version whose e-form has conditional questions: its specs."""
    version = catalog.import_procedure(
        factories.procedure_data(code=w.procedure.code, form_schema=BIRTH)
    )
    return list(version.components.all())


def url(w) -> str:
    return f"{COUNTER}{w.procedure.code}/"


def post(as_user, w, specs, htmx=False, **answers):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = valid_post(w, specs, **answers)
    return as_user(w.reception).post(url(w), data, HTTP_ACCEPT_LANGUAGE="vi", **headers)


def tag(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_the_conditional_question_is_not_asked_before_its_answer(as_user, w, birth):
    html = as_user(w.reception).get(url(w)).content.decode()
    assert inputs(html, "tk__married")
    assert not inputs(html, "tk__marriage_number")
    assert "Số giấy chứng nhận kết hôn" not in html
    # Each item's own question too: no sibling is a younger one yet.
    assert inputs(html, "tk__siblings__0__full_name") and not inputs(
        html, "tk__siblings__0__school"
    )
    # The answer it depends on re-renders the e-form; the button does it without a script.
    radio = tag(html, "tk__married")
    assert 'hx-post=""' in radio and 'hx-target="#counter-eform"' in radio
    assert "&quot;action&quot;: &quot;update&quot;" in radio
    assert re.search(r'<button[^>]*name="action" value="update"', html)
    assert "Cập nhật câu hỏi" in html


def test_with_htmx_the_question_appears_in_the_eform_alone(as_user, w, birth):
    response = post(
        as_user,
        w,
        birth,
        htmx=True,
        tk__married="co",
        action="update",
        tk__siblings__0__full_name="Lan",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="counter-eform">')
    assert 'name="full_name"' not in html  # the applicant is not sent back
    assert inputs(html, "tk__marriage_number")
    assert value_of(html, "tk__child_name") == "Đặng Văn Bé"
    assert value_of(html, "tk__siblings__0__full_name") == "Lan"
    assert 'aria-invalid="true"' not in html
    assert not Dossier.objects.exists()


def test_with_htmx_the_question_goes_when_its_condition_fails_again(as_user, w, birth):
    html = post(
        as_user,
        w,
        birth,
        htmx=True,
        tk__married="khong",
        tk__marriage_number="12/2020",
        action="update",
    ).content.decode()
    assert inputs(html, "tk__married")
    assert not inputs(html, "tk__marriage_number")
    assert "12/2020" not in html


def test_without_a_script_the_update_button_shows_the_question_and_keeps_the_answers(
    as_user, w, birth
):
    response = post(
        as_user,
        w,
        birth,
        tk__married="co",
        tk__siblings__0__full_name="Minh",
        tk__siblings__0__relation="Anh",
        tk__siblings__1__full_name="Lan",
        tk__siblings__1__relation="Em",
        items__siblings="2",
        action="update",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="full_name"' in html  # the whole page
    assert value_of(html, "full_name") == "Đặng Thị Quầy"
    assert inputs(html, "tk__marriage_number")
    assert 'value="co"' in tag(html, "tk__married") and "checked" in re.search(
        r'<input[^>]*name="tk__married"[^>]*value="co"[^>]*>', html
    ).group(0)
    # Each sibling by its own answer: only the younger one is asked for a school.
    assert not inputs(html, "tk__siblings__0__school")
    assert inputs(html, "tk__siblings__1__school")
    assert value_of(html, "tk__siblings__1__full_name") == "Lan"
    assert 'aria-invalid="true"' not in html
    assert not Dossier.objects.exists()


def test_an_answer_to_a_question_not_asked_is_not_stored(as_user, w, birth):
    response = post(
        as_user,
        w,
        birth,
        tk__married="khong",
        tk__marriage_number="12/2020",  # typed before "no" was chosen
        tk__siblings__0__full_name="Minh",
        tk__siblings__0__relation="Anh",
        tk__siblings__0__school="THCS Phúc Yên",
        items__siblings="1",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Dossier.objects.get().form == {
        "child_name": "Đặng Văn Bé",
        "married": False,
        "siblings": [{"full_name": "Minh", "relation": "Anh"}],
    }


def test_an_answer_to_a_question_asked_is_stored(as_user, w, birth):
    response = post(
        as_user,
        w,
        birth,
        tk__married="co",
        tk__marriage_number="12/2020",
        tk__siblings__0__full_name="Lan",
        tk__siblings__0__relation="Em",
        tk__siblings__0__school="Tiểu học Phúc Yên",
        items__siblings="1",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Dossier.objects.get().form == {
        "child_name": "Đặng Văn Bé",
        "married": True,
        "marriage_number": "12/2020",
        "siblings": [{"full_name": "Lan", "relation": "Em", "school": "Tiểu học Phúc Yên"}],
    }


def test_a_required_question_asked_but_left_empty_is_an_error(as_user, w, birth):
    response = post(
        as_user,
        w,
        birth,
        tk__married="co",
        tk__marriage_number="",
        tk__siblings__0__full_name="Lan",
        tk__siblings__0__relation="Em",
        items__siblings="1",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-invalid="true"' in tag(html, "tk__marriage_number")
    assert 'aria-invalid="true"' in tag(html, "tk__siblings__0__school")
    assert 'aria-invalid="true"' not in tag(html, "tk__child_name")
    # Next to the field, and in the summary with a link to it.
    assert html.count("Trường này là bắt buộc.") >= 4
    summary = re.search(r'<div[^>]*id="counter-errors".*?</div>', html, re.S).group(0)
    assert 'href="#id_tk__marriage_number"' in summary
    assert "Số giấy chứng nhận kết hôn: Trường này là bắt buộc." in summary
    assert 'href="#id_tk__siblings__0__school"' in summary
    # What was typed is kept.
    assert value_of(html, "tk__child_name") == "Đặng Văn Bé"
    assert value_of(html, "tk__siblings__0__full_name") == "Lan"
    assert not Dossier.objects.exists()


def test_a_question_asked_only_on_receiving_is_an_error_not_a_silent_gap(as_user, w, birth):
    """ "Yes" chosen and the dossier received straight away, without updating the questions:
    the number now asked is required, and the page shows it."""
    response = post(as_user, w, birth, tk__married="co")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in tag(response.content.decode(), "tk__marriage_number")
    assert not Dossier.objects.exists()
