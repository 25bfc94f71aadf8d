"""The submitter of feedback hears of each change through the outbox, in the transaction of
the change; internal notes never go out."""

import pytest
from django.db import transaction

from motcua.core.errors import ActionNotAllowed
from motcua.integrations.models import Notification, OutboxMessage
from motcua.integrations.notifications import deliver_outbox
from tests.feedback import factories as ff

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    w = ff.world()
    w.citizen.email, w.citizen.phone = "an@example.vn", "0912345678"
    w.citizen.save()
    return w


def test_each_change_is_told_by_portal_e_mail_and_sms(
    w, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        fb = ff.submit(w)
        ff.act(w, fb, "accept", internal_note="Giao đội quản lý đô thị")
        ff.act(w, fb, "answer")
    titles = list(
        Notification.objects.filter(user=w.citizen).order_by("id").values_list("title", flat=True)
    )
    assert titles == [
        f"Phản ánh, kiến nghị số {fb.pk} đã được tiếp nhận",
        f"Phản ánh, kiến nghị số {fb.pk} đang được xử lý",
        f"Phản ánh, kiến nghị số {fb.pk} đã có trả lời",
    ]
    rows = OutboxMessage.objects.order_by("id")
    assert [r.channel for r in rows] == ["email", "sms"] * 3
    assert all(r.dossier_id is None for r in rows)
    assert "Đã xử lý xong" in rows[4].body
    assert not any("Giao đội" in r.body for r in rows)
    assert deliver_outbox()["sent"] == 6
    assert mailoutbox[-1].subject.endswith("đã có trả lời")


def test_the_submitter_s_own_actions_are_not_news(w):
    fb = ff.bring_to(w, "answered")
    before = OutboxMessage.objects.count()
    ff.act(w, fb, "react")
    assert OutboxMessage.objects.count() == before


def test_a_refused_action_tells_nobody(w):
    fb = ff.submit(w)
    before = OutboxMessage.objects.count()
    with pytest.raises(ActionNotAllowed), transaction.atomic():
        ff.act(w, fb, "publish")
    assert OutboxMessage.objects.count() == before


def test_anonymous_submitters_hear_on_their_confirmed_contact(w, mailoutbox):
    from motcua.feedback import services

    row = services.send_contact_code("khach@example.vn")
    code = mailoutbox[-1].body.split(": ")[1][:6]
    fb, key = services.submit_feedback(
        None, title="Rác thải ven sông", content="Rác đổ bừa bãi ven sông Cầu.",
        category="place", agency=w.home.code, contact={"code_id": str(row.pk), "code": code},
    )  # fmt: skip
    assert key
    message = OutboxMessage.objects.get()
    assert (message.channel, message.recipient) == ("email", "khach@example.vn")
    assert not Notification.objects.exists()
