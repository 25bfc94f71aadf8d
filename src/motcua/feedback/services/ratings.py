"""Use cases of citizens' feedback: rating how a dossier was handled.

Rules (`POST /api/v1/dossiers/{code}/rating`, docs/openapi.json):
- only the applicant rates (an officer of the agency gets 403, anybody else 404);
- only once the dossier has its result (result ready or returned), else 409;
- one rating per dossier, which the applicant may change for `CHANGE_WINDOW` after first
  giving it (a slip of the finger is corrected; a verdict is not rewritten months later);
  after that it is final (409). Sending the same rating again changes nothing.
- the dossier itself is left alone: no status change, no event.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.core.errors import ActionNotAllowed, Forbidden, NotFound, ValidationFailed
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.queries import can_see, is_applicant

from ..models import SCORES, Rating

RATEABLE = frozenset({Status.RESULT_READY, Status.RETURNED})
CHANGE_WINDOW = timedelta(days=7)
COMMENT_MAX = 1000


def can_rate(dossier: Dossier, user) -> bool:
    return dossier.status in RATEABLE and is_applicant(user, dossier)


def can_change(rating: Rating, now: datetime | None = None) -> bool:
    return (now or timezone.now()) < rating.rated_at + CHANGE_WINDOW


def _clean(score, comment) -> tuple[int, str]:
    fields = {}
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        fields["score"] = ["Mức độ hài lòng là một số nguyên từ 1 đến 5."]
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        fields["comment"] = ["Phải là chuỗi ký tự."]
        comment = ""
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        fields["comment"] = [f"Tối đa {COMMENT_MAX} ký tự."]
    if fields:
        raise ValidationFailed("Đánh giá chưa hợp lệ.", fields=fields)
    return score, comment


def rate_dossier(
    dossier, user, score, comment: str | None = "", *, now: datetime | None = None
) -> tuple[Rating, bool]:
    """Record (or, within the window, change) the applicant's rating of `dossier` (an
    instance or its code). Returns (rating, created)."""
    now = now or timezone.now()
    code = dossier.code if isinstance(dossier, Dossier) else dossier
    score, comment = _clean(score, comment)
    with transaction.atomic():
        # The dossier row is the lock: two first ratings sent at once become one.
        d = Dossier.objects.select_for_update(of=("self",)).filter(code=code).first()
        if code is None or d is None or not can_see(user, d):
            raise NotFound("Không tìm thấy hồ sơ.")
        if not is_applicant(user, d):
            raise Forbidden("Chỉ người nộp hồ sơ mới được đánh giá mức độ hài lòng.")
        if d.status not in RATEABLE:
            raise ActionNotAllowed("Hồ sơ chưa có kết quả giải quyết nên chưa thể đánh giá.")
        rating = Rating.objects.filter(dossier=d).first()
        if rating is None:
            rating = Rating.objects.create(
                dossier=d, user=user, score=score, comment=comment, rated_at=now
            )
            return rating, True
        if (rating.score, rating.comment) == (score, comment):
            return rating, False
        if not can_change(rating, now):
            raise ActionNotAllowed(
                f"Đánh giá chỉ được sửa trong {CHANGE_WINDOW.days} ngày kể từ khi gửi; "
                "đánh giá này đã được ghi nhận."
            )
        rating.score, rating.comment, rating.changed_at = score, comment, now
        rating.save(update_fields=["score", "comment", "changed_at"])
        return rating, False


def rating_of(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()
