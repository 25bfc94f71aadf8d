"""Organisations act through representatives who declare them by tax code."""

import pytest
from django.urls import reverse

from motcua.accounts import services
from motcua.accounts.models import Organisation, Representation
from motcua.accounts.queries import organisations_of
from motcua.core.errors import NotFound, ValidationFailed

from . import factories

pytestmark = pytest.mark.django_db

URL = "/tai-khoan/to-chuc/"


def test_declaring_creates_the_organisation_and_the_link():
    user = factories.citizen()
    code = factories.tax_code()
    services.declare_representation(
        user, tax_code=code, name="  Công ty  TNHH An Phát ", address="Phúc Yên", title="Giám đốc"
    )
    organisation = Organisation.objects.get(tax_code=code)
    assert organisation.name == "Công ty TNHH An Phát"
    assert list(organisations_of(user)) == [organisation]
    link = Representation.objects.get(user=user)
    assert link.status == Representation.Status.DECLARED and link.declared_at


def test_tax_code_check_digit_is_checked():
    user = factories.citizen()
    code = factories.tax_code()
    wrong = code[:9] + str((int(code[9]) + 1) % 10)
    with pytest.raises(ValidationFailed) as error:
        services.declare_representation(user, tax_code=wrong, name="X", title="Giám đốc")
    assert "tax_code" in error.value.fields
    assert not Organisation.objects.exists()


def test_branch_tax_code_accepted():
    user = factories.citizen()
    code = factories.tax_code() + "-001"
    services.declare_representation(user, tax_code=code, name="Chi nhánh", title="Trưởng")
    assert organisations_of(user).get().tax_code == code


def test_a_known_organisation_keeps_its_name():
    first, second = factories.citizen(), factories.citizen("Trần Thị Bình")
    code = factories.tax_code()
    services.declare_representation(first, tax_code=code, name="Công ty A", title="Giám đốc")
    services.declare_representation(second, tax_code=code, name="Tên khác", title="Kế toán")
    assert Organisation.objects.get().name == "Công ty A"
    assert organisations_of(second).get().name == "Công ty A"


def test_declaring_twice_is_refused():
    user = factories.citizen()
    code = factories.tax_code()
    services.declare_representation(user, tax_code=code, name="Công ty A", title="Giám đốc")
    with pytest.raises(ValidationFailed) as error:
        services.declare_representation(user, tax_code=code, name="Công ty A", title="Giám đốc")
    assert error.value.code == "already_declared"


def test_withdraw_only_ones_own():
    owner, other = factories.citizen(), factories.citizen()
    r = services.declare_representation(
        owner, tax_code=factories.tax_code(), name="A", title="Giám đốc"
    )
    with pytest.raises(NotFound):
        services.withdraw_representation(other, r.pk)
    services.withdraw_representation(owner, r.pk)
    assert not organisations_of(owner).exists()


def test_organisations_of_anonymous_is_empty():
    from django.contrib.auth.models import AnonymousUser

    assert not organisations_of(AnonymousUser()).exists()


def test_page_needs_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_page_declares_lists_and_removes(client):
    user = factories.citizen()
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Bạn chưa khai báo tổ chức nào." in html
    code = factories.tax_code()
    response = client.post(
        URL, {"tax_code": code, "name": "Công ty An Phát", "address": "", "title": "Giám đốc"}
    )
    assert response.status_code == 302
    html = client.get(URL).content.decode()
    assert "Công ty An Phát" in html and code in html
    pk = Representation.objects.get().pk
    assert client.get(f"{URL}{pk}/xoa/").status_code == 405
    client.post(f"{URL}{pk}/xoa/")
    assert not Representation.objects.exists()


def test_page_shows_errors_in_summary_and_next_to_field(client):
    client.force_login(factories.citizen())
    response = client.post(
        URL, {"tax_code": "0100000001", "name": "A", "address": "", "title": "Giám đốc"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_tax_code"' in html
    assert 'id="id_tax_code_error"' in html and 'aria-invalid="true"' in html


def test_someone_elses_link_cannot_be_removed_through_the_page(client):
    owner = factories.citizen()
    r = services.declare_representation(
        owner, tax_code=factories.tax_code(), name="A", title="Giám đốc"
    )
    client.force_login(factories.citizen())
    client.post(f"{URL}{r.pk}/xoa/")
    assert Representation.objects.filter(pk=r.pk).exists()


def test_a_branch_typed_on_a_number_pad_is_declared(client):
    # The tax code field brings up the number pad, which has no dash: 13 digits will do.
    user = factories.citizen()
    client.force_login(user)
    assert 'inputmode="numeric"' in client.get(URL).content.decode()
    code = factories.tax_code()
    response = client.post(
        URL, {"tax_code": f"{code}001", "name": "Chi nhánh", "address": "", "title": "Trưởng"}
    )
    assert response.status_code == 302
    assert organisations_of(user).get().tax_code == f"{code}-001"
