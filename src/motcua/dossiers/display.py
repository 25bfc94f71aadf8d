"""How a dossier's status and timeliness read on every page: the label of each, and the badge
class of each timeliness verdict. The back office and the portal both show them from here, so
a badge reads and looks the same on both sides."""

from .models import Status, Timeliness

# The badge class (`.bo-badge--…`, `.tr-badge--…`) of each verdict.
TIMELINESS_BADGES = {
    Timeliness.EARLY: "ok",
    Timeliness.ON_TIME: "ok",
    Timeliness.IN_TIME: "info",
    Timeliness.OVERDUE: "late",
}

_STATUS_LABELS = dict(Status.choices)


def status_label(value: str) -> str:
    """The status in words ("" stays "", an unknown value reads as itself)."""
    return _STATUS_LABELS.get(value, value)


def status(value: str) -> dict:
    return {"value": value, "label": status_label(value)}


def timeliness(value: str) -> dict:
    return {"value": value, "label": Timeliness(value).label, "css": TIMELINESS_BADGES[value]}
