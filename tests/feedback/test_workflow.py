"""The feedback workflow: the table, every status × action, roles, and one locked door."""

import pytest

from motcua.core.errors import ActionNotAllowed, NotFound, ValidationFailed
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.feedback.services import perform
from motcua.feedback.services.workflow import ACTIONS, TRANSITIONS, allowed_actions
from tests.dossiers.factories import at_once, on_postgresql_only

from . import factories as ff

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    return ff.world()


def snapshot(fb):
    fb = Feedback.objects.get(pk=fb.pk)
    return (fb.status, fb.agency_id, fb.updated_at, fb.answer, fb.reopen_count, fb.reaction), (
        FeedbackEvent.objects.filter(feedback=fb).count()
    )


CASES = [(s, a) for s in ff.PATHS for a in ACTIONS]


@pytest.mark.parametrize(("status", "action"), CASES)
def test_every_status_and_action(w, status, action):
    fb = ff.bring_to(w, status)
    before = snapshot(fb)
    if (status, action) in TRANSITIONS:
        done = ff.act(w, fb, action)
        assert done.status == TRANSITIONS[(status, action)].to_status
        last = done.events.order_by("-seq").first()
        assert (last.action, last.from_status, last.to_status) == (action, status, done.status)
    else:
        with pytest.raises(ActionNotAllowed) as refused:
            ff.act(w, fb, action)
        assert refused.value.status == 409 and refused.value.code == "action_not_allowed"
        assert snapshot(fb) == before


@pytest.mark.parametrize(("status", "action"), sorted(TRANSITIONS))
def test_the_wrong_side_may_not_act(w, status, action):
    """Officers' actions are not the submitter's, and the other way round."""
    fb = ff.bring_to(w, status)
    before = snapshot(fb)
    officer = ff.actor_for(w, fb, "accept")
    wrong = officer if ff.actor_for(w, fb, action) == w.citizen else w.citizen
    with pytest.raises(ActionNotAllowed):
        perform(fb, action, wrong, **ff.ARGS[action])
    assert snapshot(fb) == before


def test_roles_within_the_agency(w):
    fb = ff.submit(w)
    assert "accept" in allowed_actions(fb, w.reception)
    assert "accept" not in allowed_actions(fb, w.specialist)
    fb = perform(fb, "accept", w.reception)
    assert allowed_actions(fb, w.specialist) == ["ask_info", "answer"]
    fb = ff.act(w, fb, "answer")
    with pytest.raises(ActionNotAllowed):
        perform(fb, "publish", w.specialist)
    assert perform(fb, "publish", w.head).status == "published"


def test_strangers_get_not_found(w):
    fb = ff.submit(w)
    for stranger in (w.other_citizen, w.outsider):
        with pytest.raises(NotFound):
            perform(fb, "accept", stranger)
        with pytest.raises(NotFound):
            perform(fb, "react", stranger, like=True)


def test_transfer_hands_the_feedback_over(w):
    fb = ff.act(w, ff.submit(w), "transfer")
    assert fb.agency == w.partner
    with pytest.raises(NotFound):  # the first agency no longer holds it
        perform(fb, "accept", w.leader)
    assert perform(fb, "accept", w.partner_leader).status == "processing"


def test_refuse_needs_a_reason_from_the_list(w):
    fb = ff.submit(w)
    with pytest.raises(ValidationFailed) as bad:
        perform(fb, "refuse", w.leader, reason="vì tôi thích")
    assert "reason" in bad.value.fields
    assert perform(fb, "refuse", w.leader, reason="duplicate").refusal_reason == "duplicate"


def test_private_feedback_is_not_published(w):
    fb = ff.submit(w, is_public=False)
    fb = ff.act(w, ff.act(w, fb, "accept"), "answer")
    with pytest.raises(ActionNotAllowed):
        ff.act(w, fb, "publish")
    assert "publish" not in allowed_actions(fb, w.leader)


def test_reopen_once(w):
    fb = ff.bring_to(w, "published")
    fb = ff.act(w, fb, "reopen")
    assert (fb.status, fb.reopen_count) == ("processing", 1)
    fb = ff.act(w, fb, "answer", answer="Đã sửa lại toàn bộ đoạn đường.")
    with pytest.raises(ActionNotAllowed) as again:
        ff.act(w, fb, "reopen")
    assert "một lần" in again.value.message


def test_reopen_within_15_working_days_of_the_answer(w):
    at = ff.local(2026, 3, 2, 9)  # Monday
    fb = ff.act(w, ff.act(w, ff.submit(w, at), "accept", at), "answer", at)
    with pytest.raises(ActionNotAllowed):
        ff.act(w, fb, "reopen", ff.local(2026, 3, 23, 9, 1))  # 15 working days and a minute
    assert ff.act(w, fb, "reopen", ff.local(2026, 3, 23, 9)).status == "processing"


def test_answer_needs_evidence_for_a_service_or_a_place(w):
    from tests.dossiers.factories import upload

    fb = ff.act(w, ff.submit(w, category="place"), "accept")
    with pytest.raises(ValidationFailed) as bad:
        ff.act(w, fb, "answer")
    assert "attachments" in bad.value.fields
    photo = upload(w.leader, b"\x89PNG\r\n\x1a\n" + b"0" * 64, "anh.png")
    fb = ff.act(w, fb, "answer", attachments=[str(photo.pk)])
    assert fb.attachments.get().purpose == "evidence"
    photo.refresh_from_db()
    assert photo.attached


def test_history_is_append_only(w):
    fb = ff.submit(w)
    event = fb.events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        FeedbackEvent.objects.update(note="sửa")
    with pytest.raises(TypeError):
        FeedbackEvent.objects.all().delete()


@on_postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_make_one_change():
    w = ff.world()
    fb = ff.submit(w)
    errors = at_once([lambda: perform(fb.pk, "accept", w.leader)] * 2)
    assert len(errors) == 1 and isinstance(errors[0], ActionNotAllowed)
    assert Feedback.objects.get(pk=fb.pk).events.count() == 2
