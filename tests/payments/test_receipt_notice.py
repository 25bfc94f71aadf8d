"""The receipt is sent to the applicant: portal notification, e-mail with the PDF, SMS."""

from django.core import mail

from motcua.integrations.models import Notification, OutboxMessage
from motcua.integrations.notifications import deliver_outbox
from motcua.payments import services as payments
from motcua.payments.models import Receipt

from . import factories as f
from .test_api import client_for, notification, notify, start


def receipt_messages(dossier=None) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(dossier=dossier) if dossier else OutboxMessage.objects.all()
    # The receipt's news belongs to no dossier event (it is not a status change).
    return list(rows.filter(event=None))


def _submitted(w):
    w.citizen.email = "an@example.vn"
    w.citizen.save(update_fields=["email"])
    return f.submit(w)


def test_a_paid_callback_sends_the_receipt(w, settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.vn"
    dossier = _submitted(w)
    payment = start(client_for(w.citizen), dossier.code).json()
    assert not receipt_messages()
    notify(notification(payment))
    receipt = Receipt.objects.get(payment_id=payment["id"])

    note = Notification.objects.get(user=w.citizen, title__contains=receipt.display_number)
    assert "24.000 đ" in note.title and note.dossier_id == dossier.pk
    messages = {m.channel: m for m in OutboxMessage.objects.filter(dossier=dossier, event=None)}
    assert set(messages) == {"email", "sms"}
    email = messages["email"]
    assert email.recipient == "an@example.vn"
    assert email.attachments == [{"kind": "receipt", "id": receipt.pk}]
    assert f"https://dichvucong.example.vn/thanh-toan/{dossier.code}/" in email.body
    assert messages["sms"].body.isascii() and receipt.display_number in messages["sms"].body

    assert deliver_outbox()["sent"] == 4  # the submission's news, then the receipt
    sent = next(m for m in mail.outbox if m.subject == email.subject)
    (name, content, mime), *_ = sent.attachments
    assert name == f"bien-lai-{receipt.year}-{receipt.number:07d}.pdf"
    assert mime == "application/pdf" and content.startswith(b"%PDF")


def test_a_replay_or_a_wrong_amount_sends_nothing(w):
    dossier = _submitted(w)
    payment = start(client_for(w.citizen), dossier.code).json()
    notify(notification(payment, amount=1000))
    assert not receipt_messages()
    assert not Notification.objects.filter(title__contains="biên lai").exists()
    payment = start(client_for(w.citizen), dossier.code).json()
    notify(notification(payment, transaction_id="FT-2"))
    notify(notification(payment, transaction_id="FT-2"))
    assert len(receipt_messages()) == 2  # one e-mail, one SMS


def test_cash_at_the_counter_is_sent_to_the_applicant_without_an_account(w):
    dossier = f.at_counter(w)
    dossier.applicant = {**dossier.applicant, "email": "quay@example.vn"}
    dossier.save(update_fields=["applicant"])
    payments.start_payment(dossier.code, w.reception, method="cash")
    (email,) = [m for m in receipt_messages() if m.channel == "email"]
    assert email.recipient == "quay@example.vn" and email.attachments[0]["kind"] == "receipt"
