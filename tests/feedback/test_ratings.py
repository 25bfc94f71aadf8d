"""Satisfaction ratings: who may rate, when, how often, and the API route."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from motcua.core.errors import ActionNotAllowed, Forbidden, NotFound, ValidationFailed
from motcua.core.services import issue_api_token
from motcua.dossiers.models import Status
from motcua.feedback import services
from motcua.feedback.models import Rating
from tests.dossiers import factories as f
from tests.portal.tracking_data import received, with_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    return f.world()


def test_the_applicant_rates_once_the_result_exists(w):
    d = with_result(w)
    events = d.events.count()
    rating, created = services.rate_dossier(d, w.citizen, 4, "  Cán bộ nhiệt tình.  ")
    assert created
    assert (rating.score, rating.comment, rating.user) == (4, "Cán bộ nhiệt tình.", w.citizen)
    d.refresh_from_db()
    # Not a change of the dossier: same status, no event.
    assert d.status == Status.RETURNED
    assert d.events.count() == events


def test_a_result_ready_dossier_may_be_rated(w):
    d = with_result(w, returned=False)
    assert services.rate_dossier(d, w.citizen, 3)[1]


@pytest.mark.parametrize("action", ["received", "refused"])
def test_no_rating_without_a_result(w, action):
    from motcua.dossiers.services import perform

    d = received(w)
    if action == "refused":
        d = perform(d.code, "refuse", w.reception, reason="Không đủ điều kiện")
    with pytest.raises(ActionNotAllowed):
        services.rate_dossier(d, w.citizen, 5)
    assert not Rating.objects.exists()


def test_only_the_applicant(w):
    d = with_result(w)
    with pytest.raises(NotFound):
        services.rate_dossier(d, w.other_citizen, 5)
    with pytest.raises(Forbidden):  # an officer of the agency sees it, but does not rate it
        services.rate_dossier(d, w.reception, 5)
    with pytest.raises(NotFound):
        services.rate_dossier("KHONG-CO", w.citizen, 5)


@pytest.mark.parametrize("score", [0, 6, "5", 4.5, True, None])
def test_score_is_a_whole_number_from_1_to_5(w, score):
    d = with_result(w)
    with pytest.raises(ValidationFailed) as raised:
        services.rate_dossier(d, w.citizen, score)
    assert "score" in raised.value.fields


def test_comment_length(w):
    d = with_result(w)
    with pytest.raises(ValidationFailed):
        services.rate_dossier(d, w.citizen, 5, "x" * (services.COMMENT_MAX + 1))


def test_changeable_for_seven_days_then_final(w):
    d = with_result(w)
    first, _ = services.rate_dossier(d, w.citizen, 2, "Chậm", now=f.local(2026, 11, 18, 9))
    changed, created = services.rate_dossier(d, w.citizen, 4, "", now=f.local(2026, 11, 24, 9))
    assert not created and changed.pk == first.pk
    assert (changed.score, changed.comment) == (4, "")
    assert changed.changed_at == f.local(2026, 11, 24, 9)
    assert changed.rated_at == f.local(2026, 11, 18, 9)
    late = f.local(2026, 11, 18, 9) + services.CHANGE_WINDOW
    with pytest.raises(ActionNotAllowed):
        services.rate_dossier(d, w.citizen, 5, now=late)
    # Sending the final rating again is not an error: nothing changes.
    same, created = services.rate_dossier(d, w.citizen, 4, "", now=late + timedelta(days=30))
    assert not created and same.score == 4
    assert Rating.objects.count() == 1


def test_one_rating_per_dossier_and_scores_in_range_in_the_database(w):
    d = with_result(w)
    services.rate_dossier(d, w.citizen, 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(dossier=d, user=w.citizen, score=3, rated_at=d.updated_at)
    other = with_result(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(dossier=other, user=w.citizen, score=7, rated_at=d.updated_at)


# ------------------------------------------------------------------------------ API


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {issue_api_token(user)[0]}"}


def post(client, code, body, user=None, **headers):
    return client.post(
        f"/api/v1/dossiers/{code}/rating",
        body,
        content_type="application/json",
        headers={**(_bearer(user) if user else {}), **headers},
    )


def test_api_rates_then_changes(client, w):
    d = with_result(w)
    response = post(client, d.code, {"score": 5, "comment": "Tốt"}, w.citizen)
    assert response.status_code == 201
    body = response.json()
    assert body["dossier_code"] == d.code
    assert (body["score"], body["comment"]) == (5, "Tốt")
    assert body["rated_at"].endswith("+07:00")
    assert body["changed_at"] is None
    response = post(client, d.code, {"score": 3}, w.citizen)
    assert response.status_code == 200
    assert (response.json()["score"], response.json()["comment"]) == (3, "")
    got = client.get(f"/api/v1/dossiers/{d.code}/rating", headers=_bearer(w.citizen))
    assert got.status_code == 200 and got.json()["score"] == 3
    # The agency's officers read it too.
    assert (
        client.get(f"/api/v1/dossiers/{d.code}/rating", headers=_bearer(w.reception)).json()[
            "score"
        ]
        == 3
    )


def test_api_errors_have_codes(client, w):
    d = with_result(w)
    assert post(client, d.code, {"score": 5}).json()["error"]["code"] == "not_authenticated"
    answer = post(client, d.code, {"score": 5}, w.other_citizen)
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "not_found")
    answer = post(client, d.code, {"score": 5}, w.reception)
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "forbidden")
    answer = post(client, d.code, {"score": 0}, w.citizen)
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "validation_error")
    assert "score" in answer.json()["error"]["fields"]
    running = received(w)
    answer = post(client, running.code, {"score": 5}, w.citizen)
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "action_not_allowed")
    assert (
        client.get(
            f"/api/v1/dossiers/{running.code}/rating", headers=_bearer(w.citizen)
        ).status_code
        == 404
    )


def test_api_is_idempotent_under_retry(client, w):
    d = with_result(w)
    key = str(uuid.uuid4())
    first = post(client, d.code, {"score": 5}, w.citizen, **{"Idempotency-Key": key})
    again = post(client, d.code, {"score": 5}, w.citizen, **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    other = post(client, d.code, {"score": 1}, w.citizen, **{"Idempotency-Key": key})
    assert (other.status_code, other.json()["error"]["code"]) == (422, "idempotency_key_reused")
    assert Rating.objects.get().score == 5


def test_satisfaction_figures_and_negative_ratings(w):
    from motcua.dossiers.models import Dossier
    from motcua.feedback import queries

    assert queries.satisfaction()["satisfied_rate"] is None
    scores = [5, 4, 2, 1]
    dossiers = [with_result(w) for _ in scores]
    for d, score in zip(dossiers, scores, strict=True):
        services.rate_dossier(d, w.citizen, score)
    figures = queries.satisfaction()
    assert (figures["ratings"], figures["negative"], figures["satisfied"]) == (4, 2, 2)
    assert figures["satisfied_rate"] == 0.5
    assert figures["average"] == 3
    negative = queries.negatively_rated(Dossier.objects.all())
    assert set(negative) == {dossiers[2], dossiers[3]}
