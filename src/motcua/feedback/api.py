"""Satisfaction ratings (docs/openapi.json, tag "feedback"): thin routes over `services`."""

from datetime import datetime

from django.utils import timezone
from ninja import Field, Router, Schema

from motcua.core.api.auth import api_auth
from motcua.core.api.errors import ErrorOut
from motcua.core.errors import NotFound
from motcua.core.idempotency import idempotent
from motcua.dossiers.queries import dossier_for

from . import services
from .models import Rating

router = Router(tags=["feedback"])


class RatingIn(Schema):
    score: int = Field(ge=1, le=5, description="Satisfaction, 1 (very unhappy) to 5.")
    comment: str | None = Field(None, max_length=services.COMMENT_MAX)


class RatingOut(Schema):
    dossier_code: str
    score: int
    comment: str
    rated_at: datetime
    changed_at: datetime | None
    changeable_until: datetime = Field(description="The applicant may change it until then.")


def rating_out(rating: Rating) -> dict:
    return {
        "dossier_code": rating.dossier.code,
        "score": rating.score,
        "comment": rating.comment,
        "rated_at": timezone.localtime(rating.rated_at),
        "changed_at": timezone.localtime(rating.changed_at) if rating.changed_at else None,
        "changeable_until": timezone.localtime(rating.rated_at + services.CHANGE_WINDOW),
    }


@router.post(
    "/dossiers/{code}/rating",
    auth=api_auth,
    response={
        200: RatingOut,
        201: RatingOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Rate how the dossier was handled (the applicant, once it has its result)",
    description="201 when the rating is first given; 200 when it is changed (allowed for "
    "7 days) or sent again unchanged. 409 `action_not_allowed` before the result or once the "
    "rating is final; 403 for an officer of the dossier's agency; 404 for anybody else.",
)
def rate(request, code: str, payload: RatingIn):
    def create():
        rating, created = services.rate_dossier(
            code, request.auth, payload.score, payload.comment or ""
        )
        return (201 if created else 200), rating_out(rating)

    return idempotent(request, "rating", create)


@router.get(
    "/dossiers/{code}/rating",
    auth=api_auth,
    response={200: RatingOut, 401: ErrorOut, 404: ErrorOut},
    summary="The dossier's rating, to its applicant and its agencies' officers (404 when none)",
)
def get_rating(request, code: str):
    rating = services.rating_of(dossier_for(request.auth, code))
    if rating is None:
        raise NotFound("Hồ sơ chưa được đánh giá.")
    return rating_out(rating)
