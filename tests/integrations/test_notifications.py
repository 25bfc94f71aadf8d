"""Applicants are told of each status change: in-portal notification and outbox rows in the
transaction of the change, e-mail and SMS delivered after commit, failures retried."""

import logging
import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.core.messaging import mask_phone
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.services import perform
from motcua.integrations import notifications
from motcua.integrations.models import Notification, OutboxMessage
from motcua.integrations.plugins.sms.registry import register as sms_senders
from motcua.integrations.tasks import deliver_outbox_task
from tests.dossiers.factories import counter, submit

pytestmark = pytest.mark.django_db

PHONE = "0912345678"  # the factories' applicant phone


def now():
    return timezone.now()


def outbox(dossier, **filters):
    return OutboxMessage.objects.filter(dossier=dossier, **filters).order_by("id")


def received(w):
    d = submit(w, now() - timedelta(minutes=5))
    return perform(d, "receive", w.reception, now=now())


def test_a_status_change_writes_outbox_rows_and_a_portal_notification(w):
    d = received(w)
    rows = outbox(d, event__action="receive")
    assert [r.channel for r in rows] == ["email", "sms"]
    email, sms = rows
    assert email.recipient == "an.nguyen@example.vn" and sms.recipient == PHONE
    assert email.status == "pending" and email.attempts == 0
    assert email.subject == f"Hồ sơ {d.code} đã được tiếp nhận"
    assert "Hẹn trả kết quả:" in email.body and f"/tra-cuu/?code={d.code}" in email.body
    assert sms.body.startswith(f"Ho so {d.code} da duoc tiep nhan")  # no diacritics in SMS
    note = Notification.objects.get(user=w.citizen, event__action="receive")
    assert note.dossier == d and note.title == email.subject and note.read_at is None


def test_the_submission_is_told_with_the_code_it_gets_later_in_its_transaction(w):
    d = submit(w, now())
    email = outbox(d, channel="email").get()
    assert email.event.action == "submit" and email.body == ""  # the code came after
    assert notifications.deliver_outbox() == {"sent": 2, "failed": 0}
    email.refresh_from_db()
    assert d.code in email.subject and "đã được nộp, đang chờ tiếp nhận" in email.subject
    assert mail.outbox[0].subject == email.subject


def test_a_rolled_back_action_tells_nobody(w, django_capture_on_commit_callbacks):
    d = submit(w, now() - timedelta(minutes=5))
    before = (OutboxMessage.objects.count(), Notification.objects.count())
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        perform(d, "receive", w.reception, now=now())
        assert outbox(d, event__action="receive").count() == 2  # written with the event
        raise RuntimeError("the rest of the request failed")
    assert (OutboxMessage.objects.count(), Notification.objects.count()) == before
    assert not Event.objects.filter(dossier=d, action="receive").exists()
    assert callbacks == []  # and no delivery was started


def test_delivery_is_enqueued_after_commit_once(w, django_capture_on_commit_callbacks):
    d = submit(w, now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        perform(d, "receive", w.reception, now=now())
    assert len(callbacks) == 1
    waiting = DBTaskResult.objects.filter(task_path=deliver_outbox_task.module_path)
    assert waiting.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        perform(d, "request_supplement", w.reception, missing=["Tờ khai"], now=now())
    assert waiting.count() == 1  # the run already waiting delivers these too


def test_no_status_change_no_message(w):
    d = received(w)
    count = OutboxMessage.objects.count(), Notification.objects.count()
    perform(d, "forward", w.reception, now=now())  # processing -> processing
    assert (OutboxMessage.objects.count(), Notification.objects.count()) == count


def test_an_apology_is_news_though_the_status_stays(w):
    d = received(w)
    new_due = d.due_at + timedelta(days=3)
    perform(d, "apologize", w.specialist, reason="Cần xác minh", new_due_at=new_due, now=now())
    email = outbox(d, event__action="apologize", channel="email").get()
    assert "được hẹn lại ngày trả kết quả" in email.subject
    assert "Lý do: Cần xác minh" in email.body
    assert f"{timezone.localtime(new_due):%H:%M} ngày" in email.body


def test_supplement_request_lists_what_is_missing(w):
    d = received(w)
    perform(d, "request_supplement", w.reception, missing=["Tờ khai", "Giấy chứng sinh"], now=now())
    body = outbox(d, event__action="request_supplement", channel="email").get().body
    assert "1. Tờ khai\n2. Giấy chứng sinh" in body


def test_replayed_history_goes_to_the_portal_only(w):
    d = submit(w, now() - timedelta(days=30))
    assert not outbox(d).exists()
    assert Notification.objects.filter(dossier=d).count() == 1


def test_a_counter_applicant_without_contacts_gets_nothing_to_deliver(w):
    d = counter(w, now())
    assert not outbox(d).exists() and not Notification.objects.filter(dossier=d).exists()


def test_delivery_sends_email_and_logs_sms_without_the_number(w, caplog):
    d = received(w)
    caplog.set_level(logging.INFO, logger="motcua.integrations")
    counts = notifications.deliver_outbox()
    assert counts == {"sent": 4, "failed": 0}
    assert {m.to[0] for m in mail.outbox} == {"an.nguyen@example.vn"}
    receipt = next(m for m in mail.outbox if m.subject == f"Hồ sơ {d.code} đã được tiếp nhận")
    # The receipt (Mẫu 01) the reception issued goes with the e-mail.
    [(name, content, mimetype)] = receipt.attachments
    assert (name, mimetype) == (f"{d.code}-mau-01.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    sms_lines = [r for r in caplog.records if r.name == "motcua.integrations.sms"]
    assert len(sms_lines) == 2 and all(r.to == "*******678" for r in sms_lines)
    for record in caplog.records:
        assert PHONE not in record.getMessage() + repr(vars(record))
        assert "Nguyễn" not in repr(vars(record))
    assert not OutboxMessage.objects.exclude(status="sent").exists()
    assert notifications.deliver_outbox() == {"sent": 0, "failed": 0}  # sent once only
    assert len(mail.outbox) == 2


def test_failures_are_retried_with_backoff_then_given_up(w, monkeypatch):
    d = received(w)
    OutboxMessage.objects.filter(channel="sms").delete()
    email = outbox(d, event__action="receive").get()
    OutboxMessage.objects.exclude(pk=email.pk).update(status="sent")

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({self.to[0]: (550, b"mailbox unavailable")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    t0 = now()
    assert notifications.deliver_outbox(now=t0) == {"sent": 0, "failed": 1}
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 1)
    assert email.next_attempt_at == t0 + timedelta(minutes=1)
    assert (
        "an.nguyen@example.vn" not in email.last_error
        and "SMTPRecipientsRefused" in email.last_error
    )
    # Not again before the backoff has passed; then 2, 4, 8 … minutes apart.
    assert notifications.deliver_outbox(now=t0 + timedelta(seconds=30))["failed"] == 0
    assert notifications.deliver_outbox(now=t0 + timedelta(minutes=1))["failed"] == 1
    email.refresh_from_db()
    assert email.attempts == 2 and email.next_attempt_at == t0 + timedelta(minutes=3)
    assert notifications.next_retry_at() == email.next_attempt_at

    monkeypatch.undo()
    assert notifications.deliver_outbox(now=email.next_attempt_at) == {"sent": 1, "failed": 0}
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 3, "")
    assert mail.outbox[-1].to == ["an.nguyen@example.vn"]


def test_delivery_gives_up_after_the_last_attempt(w, monkeypatch):
    d = received(w)
    OutboxMessage.objects.filter(dossier=d).update(
        status="failed", attempts=notifications.MAX_ATTEMPTS - 1, next_attempt_at=now()
    )
    monkeypatch.setattr("django.core.mail.EmailMessage.send", lambda self, *a, **k: 1 / 0)
    monkeypatch.setattr(sms_senders["log"], "send", lambda *a, **k: 1 / 0)
    assert notifications.deliver_outbox()["failed"] == 4
    assert not OutboxMessage.objects.filter(next_attempt_at__isnull=False).exists()
    assert notifications.next_retry_at() is None
    assert notifications.deliver_outbox(now=now() + timedelta(days=1))["failed"] == 0


def test_backoff_doubles_up_to_six_hours():
    assert [notifications.backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert notifications.backoff(20) == timedelta(hours=6)


def test_the_task_delivers_and_schedules_the_next_retry(w, monkeypatch):
    received(w)
    monkeypatch.setattr(sms_senders["log"], "send", lambda *a, **k: 1 / 0)
    DBTaskResult.objects.all().delete()
    assert deliver_outbox_task.call() == {"sent": 2, "failed": 2}
    retry = DBTaskResult.objects.get(task_path=deliver_outbox_task.module_path)
    assert retry.run_after == notifications.next_retry_at()


def test_the_management_command_runs_a_delivery(w):
    received(w)
    out = StringIO()
    call_command("deliver_outbox", stdout=out)
    assert out.getvalue().strip() == "sent: 4, failed: 0"


def test_sms_sender_comes_from_the_registry(settings):
    assert sms_senders.active().identifier == "log"
    settings.SMS_SENDER = "nope"
    with pytest.raises(ImproperlyConfigured):
        sms_senders.active()
    assert mask_phone("+84 912 345 678") == "********678"
    assert mask_phone("") == ""


def test_notifications_are_the_applicants_own(w):
    d = received(w)
    assert set(Notification.objects.values_list("user", flat=True)) == {w.citizen.pk}
    assert Dossier.objects.get(pk=d.pk).notifications.count() == 2
