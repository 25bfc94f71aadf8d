"""`python -m motcua seed_demo`: what it creates, what it prints, and that it is idempotent."""

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from motcua.api.management.commands.seed_demo import demo_modules, merge
from motcua.catalog.models import (
    AdministrativeUnit,
    Agency,
    ComponentSpec,
    Fee,
    LegalBasis,
    OfficerRole,
    Procedure,
    Sector,
    Step,
)
from motcua.catalog.queries import fee_total, published_procedures

pytestmark = pytest.mark.django_db

COUNTED = [
    AdministrativeUnit,
    Agency,
    Sector,
    Procedure,
    LegalBasis,
    ComponentSpec,
    Fee,
    Step,
    OfficerRole,
    get_user_model(),
]


def seed_json() -> dict:
    out = io.StringIO()
    call_command("seed_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_seed_prints_the_api_md_shape():
    result = seed_json()
    assert set(result) == {
        "citizens",
        "officers",
        "procedures",
        "payment_webhook_secret",
        "helpers",
    }
    assert all(set(c) == {"username", "password", "full_name"} for c in result["citizens"])
    assert all(set(o) == {"username", "password", "agency", "roles"} for o in result["officers"])
    assert "1.001193" in result["procedures"]
    assert result["payment_webhook_secret"]
    # The printed credentials work.
    citizen, officer = result["citizens"][0], result["officers"][0]
    assert authenticate(username=citizen["username"], password=citizen["password"])
    assert authenticate(username=officer["username"], password=officer["password"])


def test_seed_twice_creates_nothing_and_prints_the_same():
    first = seed_json()
    before = counts()
    second = seed_json()
    assert counts() == before
    assert second == first
    assert Procedure.objects.filter(version__gt=1).count() == 0


def test_seed_counts_and_roles():
    result = seed_json()
    assert published_procedures().count() == len(result["procedures"]) >= 30
    assert Sector.objects.filter(procedures__isnull=False).distinct().count() >= 8
    assert Agency.objects.filter(level="department").count() >= 6
    communes = Agency.objects.filter(level="commune")
    assert communes.count() >= 5
    for commune in communes:  # real names, from vietnam-provinces
        assert commune.unit is not None and commune.unit.level == "commune"
        assert commune.name.lower().endswith(commune.unit.name.lower())
    assert AdministrativeUnit.objects.filter(code="15", level="province").exists()

    every_role = set(OfficerRole.Role.values)
    complete = [
        agency
        for agency in Agency.objects.all()
        if set(agency.officer_roles.values_list("role", flat=True)) == every_role
    ]
    levels = [agency.level for agency in complete]
    assert levels.count("province") == 1
    assert levels.count("department") >= 2
    assert levels.count("commune") >= 2
    # The People's Committee's catalog administrator can use /admin/ for the catalog.
    admin = get_user_model().objects.get(
        officer_roles__role="catalog_admin", officer_roles__agency__code="000.00.00.H38"
    )
    assert admin.is_staff and not admin.is_superuser
    assert admin.has_perm("catalog.change_procedure")
    assert not get_user_model().objects.get(username=result["citizens"][0]["username"]).is_staff


def test_seeded_procedures_keep_their_special_cases_and_budgets():
    seed_json()
    procedures = list(published_procedures().prefetch_related("steps", "fees"))
    for procedure in procedures:
        hours = sum((step.budget_hours for step in procedure.steps.all()), Decimal(0))
        expected = (
            Decimal(8)
            if procedure.processing_time_unit == "in_day"
            else procedure.processing_time_value * 8
        )
        assert hours == expected, procedure.code
    assert any(p.online_level == "full" and fee_total(p) > 0 for p in procedures)
    assert any(fee_total(p) == 0 and not p.fees.exists() for p in procedures)
    certification = next(p for p in procedures if p.code == "2.000815")
    assert certification.processing_time_unit == "in_day"
    assert certification.cutoff_time.strftime("%H:%M") == "15:00"
    assert Step.objects.filter(
        inter_agency=True, agency__isnull=False, procedure__status="published"
    ).exists()


def test_readable_output_has_vietnamese_headings_and_every_account():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "TÀI KHOẢN CÔNG DÂN" in text and "TÀI KHOẢN CÁN BỘ" in text
    for user in get_user_model().objects.all():
        assert user.username in text


def test_catalog_seed_runs_first_and_merge_joins_the_parts():
    assert demo_modules()[0] == "motcua.catalog.demo"
    assert "motcua.workdays.demo" not in demo_modules()  # apps without demo data are skipped
    total = merge({}, {"officers": [{"username": "a"}], "procedures": ["1.001193"], "x": 1})
    merge(total, {"officers": [{"username": "b"}], "procedures": ["1.001193", "2.000488"], "x": 2})
    assert total == {
        "officers": [{"username": "a"}, {"username": "b"}],
        "procedures": ["1.001193", "2.000488"],
        "x": 2,
    }


def test_seed_makes_a_community_digital_team_member_who_may_assist():
    from motcua.dossiers.assisted import can_assist
    from motcua.integrations.plugins.population import get_registry

    helper = seed_json()["helpers"][0]
    assert set(helper) == {"username", "password", "full_name", "organisation"}
    user = authenticate(username=helper["username"], password=helper["password"])
    assert user is not None and can_assist(user)
    # The demo citizens are in the local population registry.
    citizen = seed_json()["citizens"][0]
    assert get_registry().lookup(citizen["username"]).full_name == citizen["full_name"]


def test_seed_prints_the_digital_team_table():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "TÀI KHOẢN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG" in out.getvalue()
    assert "Lý Văn Hải" in out.getvalue()
