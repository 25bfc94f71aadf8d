"""Paying a dossier from the portal in Chromium, with the demo gateway and with a bank
callback that the page picks up by itself."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from motcua.payments import services
from motcua.payments.plugins.base import sign
from tests.payments import factories as f

pytestmark = [pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _payment_settings(settings):
    settings.PAYMENT_WEBHOOK_SECRET = f.SECRET
    settings.PAYMENT_GATEWAYS = ["bank_transfer", "demo"]


def _signed_in(pages, live_server, user):
    client = Client()
    client.force_login(user)
    page = pages.new()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def test_citizen_pays_with_the_demo_gateway(pages, live_server):
    from playwright.sync_api import expect

    w = f.world()
    dossier = f.submit(w, copies=3)
    page = _signed_in(pages, live_server, w.citizen)
    page.goto(f"/thanh-toan/{dossier.code}/")
    expect(page.get_by_role("heading", name="Nộp phí, lệ phí")).to_be_visible()
    # The fee line counts by the e-form's question as the applicant read it.
    expect(page.get_by_text("3 × 8.000 đ theo “Số bản sao”")).to_be_visible()
    page.get_by_label("Cổng thanh toán thử nghiệm").check()
    page.get_by_role("button", name="Thanh toán 24.000 đồng bằng mã VietQR").click()

    qr = page.get_by_role("img", name=re.compile("Mã VietQR"))
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0  # SVG loaded
    expect(page.get_by_text("113000123456")).to_be_visible()

    page.get_by_role("button", name="Xác nhận đã chuyển khoản (thử nghiệm)").click()
    expect(page.locator("[data-payment-status=paid]")).to_have_text("Đã thanh toán")
    receipt = page.get_by_role("link", name=re.compile(r"Tải biên lai BL-\d{4}.0000001"))
    expect(receipt).to_be_visible()
    response = page.request.get(receipt.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    assert pages.errors == []


def test_the_page_shows_the_bank_callback_by_itself(pages, live_server, settings):
    from playwright.sync_api import expect

    settings.PAYMENT_GATEWAYS = ["bank_transfer"]
    w = f.world()
    dossier = f.submit(w, copies=1)
    payment, _ = services.start_payment(dossier.code, w.citizen)
    page = _signed_in(pages, live_server, w.citizen)
    page.goto(f"/thanh-toan/{dossier.code}/")
    expect(page.locator("[data-payment-status=pending]")).to_be_visible()

    body = json.dumps(
        {
            "bill_number": payment.bill_number,
            "amount": payment.amount,
            "transaction_id": "FT-BROWSER-1",
            "paid_at": "2026-11-23T10:15:00+07:00",
        }
    ).encode()
    answer = Client().post(
        "/api/v1/payments/notify",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=sign(f.SECRET, body),
    )
    assert answer.status_code == 200
    # No reload: htmx polls the status block every 5 seconds.
    expect(page.locator("[data-payment-status=paid]")).to_be_visible(timeout=12_000)
    assert pages.errors == []


def test_the_counter_takes_cash_and_sees_the_day_collection(pages, live_server):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    def accessible(page):
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()

    w = f.world()
    dossier = f.at_counter(w, copies=2)
    page = _signed_in(pages, live_server, w.reception)
    page.goto(f"/mot-cua/ho-so/{dossier.code}/")
    expect(page.locator("[data-owed='20000']")).to_be_visible()
    accessible(page)
    page.get_by_label("Thẻ ngân hàng").check()
    page.get_by_role("button", name=re.compile("^Thu .* và lập biên lai$")).click()
    expect(page.locator("[data-owed='0']")).to_be_visible()
    receipt = page.get_by_role("link", name=re.compile(r"BL-\d{4}.0000001"))
    assert page.request.get(receipt.get_attribute("href")).body().startswith(b"%PDF")
    page.get_by_text(re.compile("Hủy biên lai hoặc hoàn tiền")).click()  # opens the details
    accessible(page)

    page.get_by_role("link", name="Thu phí, lệ phí").click()
    expect(page.locator("[data-collected='20000']")).to_be_visible()
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert pages.errors == []
