"""`requested_amount`: the one reading of what an officer asked the applicant to pay."""

from datetime import timedelta

from motcua.dossiers import services as dossiers
from motcua.payments import services as payments

from . import factories as f


def _awaiting_requested_payment(w, amount=30000):
    dossier = f.submit(w, w.later_procedure)
    dossiers.perform(dossier.code, "receive", w.reception)
    dossiers.perform(dossier.code, "request_payment", w.reception, amount=amount)
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_payment"
    return dossier


def _apologize(w, dossier):
    new_due_at = dossier.due_at + timedelta(days=3)
    dossiers.perform(
        dossier.code, "apologize", w.specialist, reason="Cần xác minh", new_due_at=new_due_at
    )
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_payment"


def test_never_asked_is_none(w):
    dossier = f.submit(w, w.later_procedure)
    dossiers.perform(dossier.code, "receive", w.reception)
    assert payments.requested_amount(dossier) is None


def test_reception_of_a_dossier_owing_before_processing_asks_for_what_it_owes(w):
    dossier = f.submit(w)  # 3 copies × 8 000 đ online, due at submission
    dossiers.perform(dossier.code, "receive", w.reception)
    assert payments.requested_amount(dossier) == 24000


def test_an_apology_while_waiting_for_payment_keeps_the_amount_asked(w):
    dossier = _awaiting_requested_payment(w)
    _apologize(w, dossier)
    assert payments.requested_amount(dossier) == 30000
    assert payments.amount_owed(dossier).total == 30000


def test_after_an_apology_the_counter_records_the_amount_asked_by_default(w):
    dossier = _awaiting_requested_payment(w)
    _apologize(w, dossier)
    dossiers.perform(dossier.code, "record_payment", w.reception, receipt_number="KB-7")
    dossier.refresh_from_db()
    recorded = dossier.events.order_by("-seq").first()
    assert (recorded.action, recorded.payload["amount"]) == ("record_payment", 30000)
    assert dossier.status == "processing"
