"""Reads of ratings for the indicators and the usage metrics."""

from django.db.models import Avg, Count, Q, QuerySet

from motcua.dossiers.models import Dossier

from .models import Rating

# "Không hài lòng" and worse: a negative rating counts against indicator 6.3.
NEGATIVE_SCORES = (1, 2)
SATISFIED_SCORES = (4, 5)


def negatively_rated(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.filter(rating__score__in=NEGATIVE_SCORES)


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
