"""The back office's payments: the dossier page's panel and the daily collection report."""

import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from motcua.payments.models import Payment, Receipt, Refund
from tests.dossiers.factories import sign_in

from . import factories as f


def signed_in(user) -> Client:
    return sign_in(Client(), user)  # leaders work in sessions that passed TOTP


def dossier_page(client, dossier) -> str:
    response = client.get(f"/mot-cua/ho-so/{dossier.code}/")
    assert response.status_code == 200
    return response.content.decode()


def collect(client, dossier, method="cash"):
    return client.post(f"/mot-cua/ho-so/{dossier.code}/thu-phi/", {"thu-method": method})


def test_the_panel_shows_what_is_owed_and_why(w):
    dossier = f.at_counter(w, copies=2)
    html = dossier_page(signed_in(w.reception), dossier)
    assert 'data-owed="20000"' in html and "2 × 10.000 đ" in html
    assert "Thu tại quầy" in html and "Chưa có lần thanh toán nào." in html
    # Only reception takes money at the counter.
    assert "Thu tại quầy" not in dossier_page(signed_in(w.specialist), dossier)


def test_an_exemption_shows_as_mien_with_its_reason(w):
    dossier = f.submit(w, w.exempt_procedure, copies=1, poor_household=True)
    html = dossier_page(signed_in(w.reception), dossier)
    assert "Miễn" in html and "hộ nghèo" in html


def test_cash_at_the_counter_issues_the_receipt_shown_on_the_page(w):
    dossier = f.at_counter(w, copies=2)
    client = signed_in(w.reception)
    response = collect(client, dossier)
    assert response.status_code == 302 and response["Location"].endswith("#phi-le-phi")
    receipt = Receipt.objects.get(payment__dossier=dossier)
    assert receipt.amount == 20000 and receipt.payment.method == "cash"
    html = dossier_page(client, dossier)
    assert receipt.display_number in html and 'data-owed="0"' in html
    assert f"/api/v1/payments/{receipt.payment_id}/receipt.pdf" in html
    assert "Thu tại quầy" not in html
    # Asked again (a double click): nothing more is owed, nothing more is taken.
    collect(client, dossier)
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_others_cannot_take_money(w):
    dossier = f.at_counter(w)
    collect(signed_in(w.specialist), dossier)
    assert collect(signed_in(w.outsider), dossier).status_code == 404
    assert collect(signed_in(w.citizen), dossier).status_code == 403
    assert not Payment.objects.exists()


def _paid(w):
    dossier = f.at_counter(w, copies=2)
    collect(signed_in(w.reception), dossier)
    return dossier, Receipt.objects.get(payment__dossier=dossier)


def refund_form(html, receipt) -> dict:
    once = re.search(rf'name="hoan-{receipt.pk}-once" value="([^"]+)"', html).group(1)
    return {f"hoan-{receipt.pk}-once": once}


def test_refunds_are_recorded_once_per_form(w):
    dossier, receipt = _paid(w)
    client = signed_in(w.leader)
    html = dossier_page(client, dossier)
    data = {
        **refund_form(html, receipt),
        f"hoan-{receipt.pk}-amount": "5000",
        f"hoan-{receipt.pk}-reason": "Thu thừa một bản sao",
    }
    url = f"/mot-cua/ho-so/{dossier.code}/bien-lai/{receipt.pk}/hoan-tien/"
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same form again
    assert list(Refund.objects.values_list("amount", flat=True)) == [5000]
    assert "Đã hoàn 5.000 đ" in dossier_page(client, dossier)
    # More than what is left is refused and records nothing.
    data = {**refund_form(dossier_page(client, dossier), receipt), **data}
    data[f"hoan-{receipt.pk}-once"] = refund_form(dossier_page(client, dossier), receipt)[
        f"hoan-{receipt.pk}-once"
    ]
    data[f"hoan-{receipt.pk}-amount"] = "16000"
    client.post(url, data)
    assert Refund.objects.count() == 1


def test_a_receipt_is_cancelled_with_a_reason_and_keeps_its_number(w):
    dossier, receipt = _paid(w)
    client = signed_in(w.reception)
    url = f"/mot-cua/ho-so/{dossier.code}/bien-lai/{receipt.pk}/huy/"
    client.post(url, {f"huy-{receipt.pk}-reason": ""})
    receipt.refresh_from_db()
    assert receipt.status == "issued"
    client.post(url, {f"huy-{receipt.pk}-reason": "Lập nhầm người nộp"})
    receipt.refresh_from_db()
    assert receipt.status == "cancelled" and receipt.cancel_reason == "Lập nhầm người nộp"
    html = dossier_page(client, dossier)
    assert receipt.display_number in html and "Lập nhầm người nộp" in html


def test_receipt_forms_are_for_reception_and_leaders_only(w):
    dossier, receipt = _paid(w)
    assert "Hủy biên lai hoặc hoàn tiền" in dossier_page(signed_in(w.reception), dossier)
    assert "Hủy biên lai hoặc hoàn tiền" not in dossier_page(signed_in(w.specialist), dossier)
    url = f"/mot-cua/ho-so/{dossier.code}/bien-lai/{receipt.pk}/huy/"
    signed_in(w.specialist).post(url, {f"huy-{receipt.pk}-reason": "Không được phép"})
    receipt.refresh_from_db()
    assert receipt.status == "issued"


REPORT = "/mot-cua/thu-phi/"


def test_daily_collection_page_with_exports(w):
    for _ in range(3):
        _paid(w)
    client = signed_in(w.reception)
    html = client.get(REPORT).content.decode()
    assert 'data-collected="60000"' in html and "3 biên lai" in html
    csv = client.get(REPORT, {"agency": f.HOME, "day": timezone.localdate(), "xuat": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeffSố biên lai,Mã hồ sơ")
    assert text.count("Tiền mặt") == 3 and "Thực thu,,,60000" in text
    xlsx = client.get(REPORT, {"agency": f.HOME, "xuat": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=1).value == "Số biên lai" and sheet.max_row >= 5
    yesterday = timezone.localdate() - timedelta(days=1)
    empty = client.get(REPORT, {"agency": f.HOME, "day": yesterday}).content.decode()
    assert "Không có biên lai nào trong ngày này." in empty


def test_the_report_pages_its_receipts(w):
    for _ in range(21):
        _paid(w)
    client = signed_in(w.leader)
    first = client.get(REPORT).content.decode()
    assert first.count("/mot-cua/ho-so/") == 20 and "21 biên lai" in first
    second = client.get(REPORT, {"agency": f.HOME, "page": 2}).content.decode()
    assert second.count("/mot-cua/ho-so/") == 1


@pytest.mark.parametrize("who", ["specialist", "outsider"])
def test_the_report_is_for_the_agency_collectors(w, who):
    _paid(w)
    client = signed_in(getattr(w, who))
    if who == "specialist":
        assert client.get(REPORT).status_code == 403
    else:
        # Another agency's officer sees only their own agency, and may not pick ours.
        response = client.get(REPORT, {"agency": f.HOME})
        assert response.status_code == 422 and 'data-collected="0"' in response.content.decode()
