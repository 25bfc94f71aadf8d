"""Gateway plugins behind a registry: starting a payment, verifying notifications."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from motcua.core.errors import ValidationFailed
from motcua.payments import vietqr
from motcua.payments.plugins.base import (
    BadSignature,
    BasePlugin,
    Collector,
    PaymentOrder,
    sign,
    signature_matches,
)
from motcua.payments.plugins.registry import Registry, register

SECRET = "test-webhook-secret"  # the conftest sets it too


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.PAYMENT_WEBHOOK_SECRET = SECRET
    settings.PAYMENT_GATEWAYS = ["bank_transfer", "demo"]


def _body(**overrides) -> bytes:
    data = {
        "bill_number": "000.00.12.H26-240115-0001",
        "amount": 8000,
        "transaction_id": "FT24015123456",
        "paid_at": "2024-01-15T10:02:03+07:00",
    }
    data.update(overrides)
    return json.dumps(data).encode()


def test_builtin_gateways_are_registered():
    assert "bank_transfer" in register and "demo" in register
    assert {p.identifier for p in register} >= {"bank_transfer", "demo"}


def test_the_first_enabled_gateway_is_the_default(settings):
    assert register.get_enabled().identifier == "bank_transfer"
    settings.PAYMENT_GATEWAYS = ["demo"]
    assert register.get_enabled().identifier == "demo"
    with pytest.raises(ValidationFailed) as exc:
        register.get_enabled("bank_transfer")
    assert "gateway" in exc.value.fields


def test_unknown_gateway_is_refused():
    with pytest.raises(ValidationFailed):
        register.get_enabled("paypal")


def test_a_registry_refuses_the_same_identifier_twice():
    registry = Registry()

    @registry("x")
    class X(BasePlugin):
        pass

    assert registry["x"].identifier == "x"
    with pytest.raises(ValueError):
        registry("x")(X)


def test_bank_transfer_starts_with_a_vietqr_for_the_order():
    order = PaymentOrder(
        bill_number="000.00.12.H26-240115-0001",
        amount=8000,
        purpose="Lệ phí đăng ký khai sinh",
        collector=Collector(bank_bin="970436", account="0071000123456"),
    )
    start = register["bank_transfer"].start_payment(order)
    qr = vietqr.parse_payload(start.vietqr)
    assert (qr.bank_bin, qr.account, qr.amount, qr.bill_number, qr.purpose) == (
        "970436",
        "0071000123456",
        8000,
        "000.00.12.H26-240115-0001",
        "Le phi dang ky khai sinh",
    )


def test_signature_is_hex_hmac_sha256_of_the_raw_body():
    # RFC 4231 test case 2.
    assert (
        sign("Jefe", b"what do ya want for nothing?")
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


@pytest.mark.parametrize(
    ("secret", "body", "signature", "ok"),
    [
        (SECRET, b"{}", sign(SECRET, b"{}"), True),
        (SECRET, b"{}", sign(SECRET, b"{}").upper(), True),
        (SECRET, b"{} ", sign(SECRET, b"{}"), False),
        (SECRET, b"{}", sign("other", b"{}"), False),
        (SECRET, b"{}", "", False),
        (SECRET, b"{}", None, False),
        (SECRET, b"{}", "chữ ký", False),
        ("", b"{}", sign("", b"{}"), False),
    ],
)
def test_signature_matches(secret, body, signature, ok):
    assert signature_matches(secret, body, signature) is ok


def test_notification_is_read_once_authentic():
    body = _body()
    note = register["bank_transfer"].parse_notification(body, {"X-Signature": sign(SECRET, body)})
    assert note.bill_number == "000.00.12.H26-240115-0001"
    assert note.amount == 8000 and note.transaction_id == "FT24015123456"
    assert note.paid_at == datetime(2024, 1, 15, 3, 2, 3, tzinfo=UTC)


def test_unsigned_or_forged_notification_is_refused_before_reading():
    plugin = register["bank_transfer"]
    with pytest.raises(BadSignature):
        plugin.parse_notification(b"not even json", {})
    body = _body()
    forged = _body(amount=1)
    with pytest.raises(BadSignature) as exc:
        plugin.parse_notification(forged, {"X-Signature": sign(SECRET, body)})
    assert exc.value.status == 401 and exc.value.code == "bad_signature"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_body(amount=0), "amount"),
        (_body(amount="8000"), "amount"),
        (_body(amount=80.5), "amount"),
        (_body(transaction_id=""), "transaction_id"),
        (_body(paid_at="hôm qua"), "paid_at"),
        (b"[1, 2]", "__all__"),
        (b"{", "__all__"),
    ],
)
def test_malformed_but_signed_notification_names_the_field(body, field):
    with pytest.raises(ValidationFailed) as exc:
        register["bank_transfer"].parse_notification(body, {"X-Signature": sign(SECRET, body)})
    assert field in exc.value.fields


def test_naive_paid_at_is_local_time():
    body = _body(paid_at="2024-01-15T10:02:03")
    note = register["bank_transfer"].parse_notification(body, {"X-Signature": sign(SECRET, body)})
    assert note.paid_at.utcoffset() == timedelta(hours=7)


def test_demo_gateway_sends_what_the_bank_plugin_accepts():
    demo = register["demo"]
    assert demo.can_simulate and not register["bank_transfer"].can_simulate
    body, headers = demo.simulate_notification(bill_number="B-1", amount=12000)
    note = register["bank_transfer"].parse_notification(body, headers)
    assert (note.bill_number, note.amount) == ("B-1", 12000)
    assert note.transaction_id.startswith("DEMO-")
