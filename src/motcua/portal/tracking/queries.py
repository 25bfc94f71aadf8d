"""Reads behind the citizen's own pages: their dossiers, scoped through `dossiers.queries`."""

from django.db.models import Count, Q, QuerySet

from motcua.dossiers import drafts
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.queries import visible_dossiers

from .display import GROUPS


def my_dossiers(user, group: str | None = None) -> QuerySet[Dossier]:
    """The dossiers the user applied for (not drafts), newest first; `group` a key of
    GROUPS. An officer sees only their own here, never their agency's."""
    rows = visible_dossiers(user).filter(applicant_user=user).exclude(status=Status.DRAFT)
    if group in GROUPS:
        rows = rows.filter(status__in=GROUPS[group][1])
    return rows.select_related("procedure", "agency").order_by("-submitted_at", "-id")


def group_counts(user) -> dict[str, int]:
    """How many of the user's dossiers each group holds, in one query."""
    rows = visible_dossiers(user).filter(applicant_user=user).exclude(status=Status.DRAFT)
    counts = rows.aggregate(
        **{
            key.replace("-", "_"): Count("pk", filter=Q(status__in=s))
            for key, (_, s) in GROUPS.items()
        },
        all=Count("pk"),
    )
    return {key: counts[key.replace("-", "_")] for key in GROUPS} | {"": counts["all"]}


def drafts_of(user) -> list[Dossier]:
    """The user's unfinished submissions still kept, for the drafts section (at most the
    ten most recently saved; the submission pages list them all)."""
    return list(drafts.drafts_of(user)[:10])
