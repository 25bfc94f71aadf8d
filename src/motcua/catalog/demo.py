"""Demo data: Lào Cai province, its agencies, a catalog of real procedures, officers, citizens.

The data lives in `data/demo_*.json`; the procedures file is in the catalog import format, so
seeding exercises the same services an administrator's import uses. Idempotent: a second run
creates nothing and returns the same credentials.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from motcua.catalog import services
from motcua.catalog.models import Agency, OfficerRole

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOG_ADMIN_GROUP = "Quản trị thủ tục hành chính"


def load(name: str) -> Any:
    """One demo data file (`agencies`, `procedures` or `users`)."""
    return json.loads((DATA_DIR / f"demo_{name}.json").read_text(encoding="utf-8"))


def public(row: dict) -> dict:
    """The row without its `_`-prefixed annotations (sources, login prefixes)."""
    return {key: value for key, value in row.items() if not key.startswith("_")}


def seed() -> dict:
    with transaction.atomic():
        agencies = load("agencies")
        services.load_administrative_units([agencies["province"]])
        # Parents come before their children in the file.
        for agency in agencies["agencies"]:
            services.upsert_agency(public(agency))
        catalog = load("procedures")
        for sector in catalog["sectors"]:
            services.upsert_sector(sector["code"], sector["name"], sector.get("name_en", ""))
        for procedure in catalog["procedures"]:
            services.import_procedure(public(procedure))
        users = load("users")
        officers = [_seed_officer(row, users["passwords"]["officer"]) for row in users["officers"]]
        citizens = [_seed_citizen(row, users["passwords"]["citizen"]) for row in users["citizens"]]
    return {
        "citizens": citizens,
        "officers": officers,
        "procedures": [procedure["code"] for procedure in catalog["procedures"]],
        "payment_webhook_secret": settings.PAYMENT_WEBHOOK_SECRET,
    }


@cache
def _password_hash(password: str) -> str:
    # One hash per demo password: hashing each of ~100 users separately is slow for no gain.
    return make_password(password)


def get_or_create_user(username: str, password: str, **fields):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create(
            username=username, password=_password_hash(password), **fields
        )
    return user


def _seed_officer(row: dict, password: str) -> dict:
    is_catalog_admin = OfficerRole.Role.CATALOG_ADMIN in row["roles"]
    user = get_or_create_user(
        row["username"], password, full_name=row["full_name"], is_staff=is_catalog_admin
    )
    agency = Agency.objects.get(code=row["agency"])
    for role in row["roles"]:
        OfficerRole.objects.get_or_create(user=user, agency=agency, role=role)
    if is_catalog_admin:
        user.groups.add(_catalog_admin_group())
    return {
        "username": row["username"],
        "password": password,
        "agency": row["agency"],
        "roles": list(row["roles"]),
    }


def _seed_citizen(row: dict, password: str) -> dict:
    # Citizens sign in with their 12-digit ID number as username.
    get_or_create_user(
        row["id_number"],
        password,
        full_name=row["full_name"],
        id_number=row["id_number"],
        phone=row.get("phone", ""),
    )
    return {"username": row["id_number"], "password": password, "full_name": row["full_name"]}


def _catalog_admin_group() -> Group:
    """Staff group that may manage the catalog in /admin/ (every catalog model permission)."""
    group, created = Group.objects.get_or_create(name=CATALOG_ADMIN_GROUP)
    if created:
        group.permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    return group
