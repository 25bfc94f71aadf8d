"""Fees due from the procedure's fee schedule (domain.md "Money")."""

import pytest

from motcua.payments.fees import fees_due
from motcua.payments.money import amount_in_words, format_vnd
from tests.catalog import factories as catalog_factories

pytestmark = pytest.mark.django_db

COPY_FEE = {
    "name": "Phí cấp bản sao",
    "kind": "fee",
    "amount": 10000,
    "online_amount": 8000,
    "per_unit_field": "copies",
    "note": "",
}
CHARGE = {
    "name": "Lệ phí",
    "kind": "charge",
    "amount": 50000,
    "online_amount": None,
    "per_unit_field": "",
    "note": "",
}
FREE_ONLINE = {**CHARGE, "name": "Lệ phí đăng ký", "amount": 8000, "online_amount": 0}


def _procedure(*fees):
    return catalog_factories.procedure(fees=list(fees))


def test_online_pays_the_online_amount_times_the_form_answer():
    due = fees_due(_procedure(COPY_FEE, CHARGE), "online", {"copies": 3})
    assert [(line.unit_amount, line.units, line.amount) for line in due.lines] == [
        (8000, 3, 24000),
        (50000, 1, 50000),  # no online amount set: the counter amount applies
    ]
    assert due.total == 74000
    assert "trực tuyến" in due.lines[0].reason and "3 × 8.000 đ" in due.lines[0].reason


@pytest.mark.parametrize("channel", ["counter", "post"])
def test_other_channels_pay_the_counter_amount(channel):
    assert fees_due(_procedure(COPY_FEE), channel, {"copies": 2}).total == 20000


@pytest.mark.parametrize("answer", [None, 0, -1, "3", 2.5, True])
def test_a_missing_or_odd_answer_counts_one_unit(answer):
    form = {} if answer is None else {"copies": answer}
    assert fees_due(_procedure(COPY_FEE), "counter", form).total == 10000


def test_zero_online_fee_owes_nothing_online():
    procedure = _procedure(FREE_ONLINE)
    assert fees_due(procedure, "online", {}).total == 0
    assert fees_due(procedure, "counter", {}).total == 8000


def test_no_fee_schedule_owes_nothing():
    assert fees_due(_procedure(), "counter", {}).lines == ()


@pytest.mark.parametrize(
    ("amount", "text", "words"),
    [
        (0, "0 đ", "Không đồng"),
        (8000, "8.000 đ", "Tám nghìn đồng"),
        (15000, "15.000 đ", "Mười lăm nghìn đồng"),
        (21000, "21.000 đ", "Hai mươi mốt nghìn đồng"),
        (105000, "105.000 đ", "Một trăm linh năm nghìn đồng"),
        (120000, "120.000 đ", "Một trăm hai mươi nghìn đồng"),
        (1005000, "1.005.000 đ", "Một triệu không trăm linh năm nghìn đồng"),
        (1250000, "1.250.000 đ", "Một triệu hai trăm năm mươi nghìn đồng"),
        (2000000000, "2.000.000.000 đ", "Hai tỷ đồng"),
    ],
)
def test_amounts_as_documents_write_them(amount, text, words):
    assert format_vnd(amount) == text
    assert amount_in_words(amount) == words
