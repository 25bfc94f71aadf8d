"""Reads of ratings for the indicators and the usage metrics; who sees which feedback, and
the inbox and public lists of feedback."""

import hmac

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet

from motcua.core.text import fold
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import officer_roles

from .models import DeadlineKind, Feedback, FeedbackDeadline, FeedbackStatus, Rating, Verdict

# "Không hài lòng" and worse: a negative rating counts against indicator 6.3.
NEGATIVE_SCORES = (1, 2)
SATISFIED_SCORES = (4, 5)


def negatively_rated(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.filter(rating__score__in=NEGATIVE_SCORES)


def complained_about(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Dossiers that feedback was sent about (against indicator 6.3, like a negative rating)."""
    return dossiers.filter(feedback__isnull=False).distinct()


def satisfaction(ratings: QuerySet[Rating] | None = None) -> dict:
    """{"ratings", "negative", "satisfied", "average", "satisfied_rate"} over `ratings`
    (all by default), in one query; the rate is a fraction, None without ratings."""
    rows = Rating.objects.all() if ratings is None else ratings
    figures = rows.aggregate(
        ratings=Count("pk"),
        negative=Count("pk", filter=Q(score__in=NEGATIVE_SCORES)),
        satisfied=Count("pk", filter=Q(score__in=SATISFIED_SCORES)),
        average=Avg("score"),
    )
    total = figures["ratings"]
    figures["satisfied_rate"] = figures["satisfied"] / total if total else None
    return figures


# ---------------------------------------------------------------------- feedback: who sees


def is_officer_of(user, fb: Feedback) -> bool:
    """An officer of the agency handling it now (a transfer hands it over entirely)."""
    return fb.agency_id in officer_roles(user)


def can_see(user, fb: Feedback) -> bool:
    """Its submitter and the officers of its agency see all of it but the internal notes,
    which only the officers see; anybody else gets 404 (public answers are `published`)."""
    signed_in = user is not None and user.is_authenticated
    return signed_in and (fb.submitter_id == user.pk or is_officer_of(user, fb))


def opens(fb: Feedback, key: str | None) -> bool:
    """Whether `key` is the secret of the anonymous submitter's link."""
    from .services.submission import access_hash

    return bool(key and fb.access_hash) and hmac.compare_digest(access_hash(key), fb.access_hash)


def feedback_for(user, pk, key: str | None = None) -> tuple[Feedback, bool]:
    """(feedback, is the caller its submitter) for its submitter (signed in, or with the key
    of the secret link) and its agency's officers; NotFound for anybody else."""
    from motcua.core.errors import NotFound

    try:
        fb = Feedback.objects.select_related("agency", "procedure", "dossier").get(pk=int(pk))
    except (Feedback.DoesNotExist, TypeError, ValueError):
        raise NotFound("Không tìm thấy phản ánh, kiến nghị.") from None
    keyed = opens(fb, key)
    if not (keyed or can_see(user, fb)):
        raise NotFound("Không tìm thấy phản ánh, kiến nghị.")
    mine = keyed or (user is not None and user.is_authenticated and fb.submitter_id == user.pk)
    return fb, mine


def visible_to(user) -> QuerySet[Feedback]:
    """The user's own feedback (citizen) or their agencies' (officer)."""
    if user is None or not user.is_authenticated:
        return Feedback.objects.none()
    return Feedback.objects.filter(Q(submitter=user) | Q(agency_id__in=list(officer_roles(user))))


def published(q: str = "", agency: str = "", category: str = "") -> QuerySet[Feedback]:
    """The public list: published answers of feedback its submitter agreed to make public,
    searched in title, content and answer with or without diacritics."""
    rows = Feedback.objects.filter(status=FeedbackStatus.PUBLISHED, is_public=True)
    if agency:
        rows = rows.filter(agency__code=agency)
    if category:
        rows = rows.filter(category=category)
    for word in fold(q).split():
        rows = rows.filter(search_text__contains=word)
    return rows.select_related("agency").order_by("-published_at", "-id")


INBOX_TABS = ("to_accept", "processing", "awaiting_info", "due_soon", "overdue")


def inbox(agency_ids, tab: str) -> QuerySet[Feedback]:
    """The back office's tabs, as the dossier inbox has them."""
    rows = Feedback.objects.filter(agency_id__in=agency_ids)
    S = FeedbackStatus
    by_tab = {
        "to_accept": Q(status__in=(S.RECEIVED, S.TRANSFERRED)),
        "processing": Q(status=S.PROCESSING),
        "awaiting_info": Q(status=S.AWAITING_INFO),
        "due_soon": Q(due_soon=True, overdue=False),
        "overdue": Q(overdue=True),
    }
    return rows.filter(by_tab[tab]).select_related("agency").order_by("due_at", "id")


# ------------------------------------------------------------ indicators 6.1 and 6.2


def handling_figures(rows: QuerySet[Feedback] | None = None) -> dict:
    """{"received", "on_time", "satisfied"} over `rows` (all feedback by default), in one
    query (docs/indicators.md): 6.1 counts feedback decided or answered with no deadline of
    refusal, first request for information or answer overdue; 6.2 counts feedback that is
    neither disliked, nor overdue, nor reopened."""
    rows = Feedback.objects.all() if rows is None else rows
    late = FeedbackDeadline.objects.filter(
        feedback=OuterRef("pk"),
        verdict=Verdict.OVERDUE,
        kind__in=(DeadlineKind.REFUSE, DeadlineKind.ASK_INFO, DeadlineKind.ANSWER),
    )
    S = FeedbackStatus
    handled = Q(status__in=(S.ANSWERED, S.PUBLISHED, S.REFUSED))
    return rows.annotate(late=Exists(late)).aggregate(
        received=Count("pk"),
        on_time=Count("pk", filter=handled & Q(late=False)),
        satisfied=Count(
            "pk", filter=Q(late=False, reopen_count=0) & ~Q(reaction="dislike") & Q(overdue=False)
        ),
    )
