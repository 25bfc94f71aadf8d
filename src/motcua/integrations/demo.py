"""Demo data of the integrations: the residents of the local population registry (the demo
citizens and their households, `data/demo_residents.json`), and the demo's year of history
read in the notification centre. Idempotent: a second run creates nothing."""

import json
from datetime import date
from pathlib import Path

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from motcua.dossiers.models import Event

from .models import LocalResident, Notification
from .notifications import NEWS_MAX_AGE

DATA = Path(__file__).resolve().parent / "data" / "demo_residents.json"

# (what the resident is, what the member is) → what the member is to the resident, by the
# member's sex. Roles are places in the household: head, spouse (of the head), child (of
# the head), parent (of the head).
_RELATIONS = {
    ("head", "spouse"): ("Chồng", "Vợ"),
    ("head", "child"): ("Con", "Con"),
    ("head", "parent"): ("Cha", "Mẹ"),
    ("spouse", "head"): ("Chồng", "Vợ"),
    ("spouse", "child"): ("Con", "Con"),
    ("child", "head"): ("Cha", "Mẹ"),
    ("child", "spouse"): ("Cha", "Mẹ"),
    ("child", "parent"): ("Ông nội", "Bà nội"),
    ("parent", "head"): ("Con", "Con"),
    ("parent", "spouse"): ("Con rể", "Con dâu"),
    ("parent", "child"): ("Cháu nội", "Cháu nội"),
    ("parent", "parent"): ("Chồng", "Vợ"),
}


def relationship(person: dict, member: dict) -> str:
    """What `member` is to `person` in their household, in the registry's words."""
    pair = (person["role"], member["role"])
    if pair == ("spouse", "parent"):
        words = ("Cha chồng", "Mẹ chồng") if person["sex"] == "Nữ" else ("Cha vợ", "Mẹ vợ")
    elif pair == ("child", "child"):
        older = member["date_of_birth"] < person["date_of_birth"]
        words = ("Anh ruột", "Chị ruột") if older else ("Em ruột", "Em ruột")
    else:
        words = _RELATIONS.get(pair, ("Thành viên hộ", "Thành viên hộ"))
    return words[0] if member["sex"] == "Nam" else words[1]


def residents() -> list[LocalResident]:
    """Every demo resident, with their household as their registry entry shows it."""
    households = json.loads(DATA.read_text(encoding="utf-8"))["households"]
    rows = []
    for household in households:
        members = household["members"]
        for person in members:
            rows.append(
                LocalResident(
                    id_number=person["id_number"],
                    full_name=person["full_name"],
                    date_of_birth=date.fromisoformat(person["date_of_birth"]),
                    sex=person["sex"],
                    ethnicity=person["ethnicity"],
                    nationality=person.get("nationality", "Việt Nam"),
                    permanent_address=household["permanent_address"],
                    current_address=person.get("current_address") or household["permanent_address"],
                    household=[
                        {
                            "id_number": member["id_number"],
                            "full_name": member["full_name"],
                            "relationship": relationship(person, member),
                            "date_of_birth": member["date_of_birth"],
                        }
                        for member in members
                        if member is not person
                    ],
                )
            )
    return rows


def seed() -> dict:
    rows = residents()
    existing = set(
        LocalResident.objects.filter(id_number__in=[r.id_number for r in rows]).values_list(
            "id_number", flat=True
        )
    )
    LocalResident.objects.bulk_create([r for r in rows if r.id_number not in existing])
    read_replayed_history()
    return {}


def read_replayed_history(now=None) -> int:
    """The seeded history is old news: the notifications of events older than a day are read,
    and dated, at their event's time (the applicant's unread count shows only what is new).
    Seeding writes them all at once, after the dossiers app has replayed its year."""
    now = now or timezone.now()
    at = Subquery(Event.objects.filter(pk=OuterRef("event_id")).values("at")[:1])
    return Notification.objects.filter(
        read_at__isnull=True, event__at__lt=now - NEWS_MAX_AGE
    ).update(read_at=at, created_at=at)
