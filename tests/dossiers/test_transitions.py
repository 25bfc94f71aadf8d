"""Every action in every status, for every kind of actor: the allowed ones succeed, the rest
are 409 action_not_allowed and change nothing. The expected table is written out here on its
own, so that a change to the service's table shows up as a failing test."""

import pytest
from django.db import transaction

from motcua.core.errors import ActionNotAllowed, NotFound
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Event, Status
from motcua.dossiers.services import ACTIONS, perform
from motcua.payments import services as payments

from .factories import components_for, counter, local, submit, upload

pytestmark = pytest.mark.django_db

MON = local(2026, 11, 16, 9, 0)
NOW = MON.replace(hour=11)

ALLOWED = {
    (Status.DRAFT, "submit"): {"citizen"},
    (Status.SUBMITTED, "receive"): {"reception"},
    (Status.SUBMITTED, "request_supplement"): {"reception"},
    (Status.SUBMITTED, "refuse"): {"reception", "leader"},
    (Status.SUBMITTED, "withdraw"): {"citizen"},
    # At the first step (held by reception), due later this week.
    (Status.PROCESSING, "request_supplement"): {"reception", "specialist"},
    (Status.PROCESSING, "refuse"): {"reception", "leader"},
    (Status.PROCESSING, "forward"): {"reception"},
    (Status.PROCESSING, "transfer"): {"reception"},
    (Status.PROCESSING, "request_payment"): {"reception", "specialist"},
    (Status.PROCESSING, "apologize"): {"specialist", "head", "leader"},
    (Status.PROCESSING, "stop"): {"head", "leader"},
    (Status.PROCESSING, "finish"): {"leader"},
    (Status.PROCESSING, "withdraw"): {"citizen"},
    (Status.AWAITING_SUPPLEMENT, "supplement"): {"citizen", "reception"},
    (Status.AWAITING_SUPPLEMENT, "refuse"): {"reception", "leader"},
    (Status.AWAITING_SUPPLEMENT, "stop"): {"head", "leader"},
    (Status.AWAITING_SUPPLEMENT, "withdraw"): {"citizen"},
    (Status.AWAITING_PAYMENT, "record_payment"): {"reception"},
    (Status.AWAITING_PAYMENT, "apologize"): {"specialist", "head", "leader"},
    (Status.AWAITING_PAYMENT, "stop"): {"head", "leader"},
    (Status.AWAITING_PAYMENT, "withdraw"): {"citizen"},
    (Status.RESULT_READY, "return_result"): {"reception"},
}
ACTORS = ("citizen", "reception", "specialist", "head", "leader")


def dossier_in(w, status) -> Dossier:
    own_counter = {"applicant_user": w.citizen}
    if status == Status.DRAFT:
        return services.submit_online(
            applicant_user=w.citizen,
            procedure=w.procedure.code,
            agency=w.home.code,
            form={"child_name": "A"},
            components=components_for(w, w.citizen),
            draft=True,
            now=MON,
        )
    if status == Status.SUBMITTED:
        return submit(w, MON)
    if status == Status.WITHDRAWN:
        return perform(submit(w, MON).code, "withdraw", w.citizen, now=MON)
    d = counter(w, MON, **own_counter)
    steps = {
        Status.PROCESSING: [],
        Status.AWAITING_SUPPLEMENT: [("request_supplement", w.reception, {"missing": ["X"]})],
        Status.AWAITING_PAYMENT: [("request_payment", w.reception, {"amount": 1000})],
        Status.REFUSED: [("refuse", w.reception, {"reason": "R"})],
        Status.STOPPED: [("stop", w.leader, {"reason": "R"})],
        Status.RESULT_READY: [
            ("forward", w.reception, {}),
            ("transfer", w.specialist, {}),
            ("transfer", w.partner_specialist, {}),
            ("finish", w.leader, {"result_file_id": str(upload(w.leader).pk)}),
        ],
    }
    if status == Status.RETURNED:
        chain = [*steps[Status.RESULT_READY], ("return_result", w.reception, {"delivery": "post"})]
    else:
        chain = steps[status]
    if status in (Status.RESULT_READY, Status.RETURNED):
        # The counter fee is paid before the result can be returned.
        payments.start_payment(d.code, w.reception, method="cash", now=MON)
    for action, actor, args in chain:
        d = perform(d.code, action, actor, now=MON, **args)
    return d


def args_for(w, action) -> dict:
    return {
        "missing": ["Giấy chứng sinh"],
        "reason": "Lý do",
        "new_due_at": local(2026, 12, 1, 17).isoformat(),
        "result_file_id": str(upload(w.leader).pk) if action == "finish" else None,
        "delivery": "counter",
        "amount": 1000,
    }


def snapshot(d: Dossier):
    row = Dossier.objects.filter(pk=d.pk).values().get()
    return row, Event.objects.filter(dossier=d).count()


@pytest.mark.parametrize("status", list(Status))
def test_every_action_for_every_actor(w, status):
    d = dossier_in(w, status)
    assert d.status == status
    key = d.code if d.code else d.pk
    for action in ACTIONS:
        for name in ACTORS:
            actor = getattr(w, name)
            allowed = name in ALLOWED.get((status, action), set())
            fresh = Dossier.objects.select_related("current_step").get(pk=d.pk)
            assert (action in services.allowed_actions(fresh, actor, NOW)) == allowed, (
                status,
                action,
                name,
            )
            if allowed:
                # It succeeds (then rolled back, so the next pair sees the same dossier).
                with transaction.atomic():
                    done = perform(key, action, actor, now=NOW, **args_for(w, action))
                    assert Event.objects.filter(dossier=d).last().action == action
                    assert done.status != status or action in {
                        "forward",
                        "transfer",
                        "apologize",
                    }
                    transaction.set_rollback(True)
                continue
            before = snapshot(d)
            # A draft is the applicant's alone: officers do not even see it.
            hidden = status == Status.DRAFT and name != "citizen"
            with pytest.raises(NotFound if hidden else ActionNotAllowed) as caught:
                perform(key, action, actor, now=NOW, **args_for(w, action))
            assert caught.value.status == (404 if hidden else 409)
            assert snapshot(d) == before, (status, action, name)
