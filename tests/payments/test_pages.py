"""The citizen's payment page: owed lines, the VietQR shown with bank details, status block."""

import pytest

from motcua.payments.models import Payment

from . import factories as f
from .test_api import client_for


@pytest.fixture
def dossier(w):
    return f.submit(w, copies=2)


def test_page_shows_what_is_owed_and_offers_to_pay(w, dossier):
    page = client_for(w.citizen).get(f"/thanh-toan/{dossier.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "16.000" in html and "Phí cấp bản sao trích lục" in html
    assert 'action="/thanh-toan/' in html and "Thanh toán 16.000" in html


def test_a_fee_per_unit_names_the_question_as_the_applicant_read_it(w, dossier):
    html = client_for(w.citizen).get(f"/thanh-toan/{dossier.code}/").content.decode()
    assert "2 × 8.000 đ theo “Số bản sao”" in html
    assert "“copies”" not in html  # the e-form's field name is no word of the applicant's


def test_paying_shows_the_qr_and_bank_details_then_the_receipt(w, dossier):
    client = client_for(w.citizen)
    response = client.post(f"/thanh-toan/{dossier.code}/tao-ma/", {"gateway": "demo"})
    assert response.status_code == 302
    payment = Payment.objects.get()
    html = client.get(f"/thanh-toan/{dossier.code}/").content.decode()
    assert f"/api/v1/payments/{payment.pk}/qr.svg" in html
    assert "113000123456" in html and payment.purpose in html
    assert 'hx-trigger="every 5s"' in html  # the status updates by itself
    client.post(f"/thanh-toan/{dossier.code}/xac-nhan-thu-nghiem/", {"payment": str(payment.pk)})
    status = client.get(f"/thanh-toan/{dossier.code}/trang-thai/").content.decode()
    assert 'data-payment-status="paid"' in status and "receipt.pdf" in status
    assert "hx-trigger" not in status  # settled: polling stops


def test_bank_transfer_pages_offer_no_confirmation(w, dossier, settings):
    settings.PAYMENT_GATEWAYS = ["bank_transfer"]
    client = client_for(w.citizen)
    client.post(f"/thanh-toan/{dossier.code}/tao-ma/")
    html = client.get(f"/thanh-toan/{dossier.code}/").content.decode()
    assert "xac-nhan-thu-nghiem" not in html


def test_free_online_dossier_owes_nothing(w):
    dossier = f.submit(w, w.free_procedure)
    html = client_for(w.citizen).get(f"/thanh-toan/{dossier.code}/").content.decode()
    assert "không có khoản phí" in html and "tao-ma" not in html


def test_strangers_get_404_and_anonymous_users_sign_in(w, dossier):
    assert client_for(w.other_citizen).get(f"/thanh-toan/{dossier.code}/").status_code == 404
    from django.test import Client

    assert Client().get(f"/thanh-toan/{dossier.code}/").status_code == 302
