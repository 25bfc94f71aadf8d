"""Dossier test data, built through the catalog and dossier services as real use builds it."""

import io
import itertools
import threading
from datetime import datetime
from types import SimpleNamespace

import pytest
from django.db import connection, connections

from motcua.catalog import services as catalog
from motcua.catalog.models import OfficerRole
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.files import store_file
from motcua.workdays.deadlines import LOCAL_TZ
from tests.catalog import factories as catalog_factories

HOME = "000.00.31.H26"  # receiving agency (a commune)
PARTNER = "000.00.12.H26"  # the agency of the inter-agency step (liên thông)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_numbers = itertools.count(1)

# The actions of a dossier's whole life through the inter-agency step and back.
FULL_LIFE = ["submit", "receive", "forward", "transfer", "transfer", "finish", "return_result"]


def local(year, month, day, hour=0, minute=0, second=0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=LOCAL_TZ)


def user(full_name="Nguyễn Văn An", id_number=None, username=None, **extra) -> User:
    n = next(_numbers)
    id_number = id_number or f"0010900{n:05d}"
    return User.objects.create_user(
        username=username or id_number, full_name=full_name, id_number=id_number, **extra
    )


def officer(agency, *roles, full_name=None) -> User:
    n = next(_numbers)
    account = User.objects.create_user(
        username=f"canbo{n}", full_name=full_name or f"Cán bộ {n}", email=f"canbo{n}@example.vn"
    )
    for role in roles:
        OfficerRole.objects.create(user=account, agency=agency, role=role)
    return account


def procedure_data(**overrides):
    data = catalog_factories.procedure_data(
        code=catalog_factories.next_code(),
        agencies=[HOME],
        processing_time={"value": 3, "unit": "working_days", "cutoff": None, "text": "3 ngày"},
        steps=[
            {"name": "Tiếp nhận hồ sơ", "role": "reception", "agency": None, "budget_hours": 2},
            {"name": "Thẩm định", "role": "specialist", "agency": None, "budget_hours": 8},
            {
                "name": "Xác nhận của Sở",
                "role": "specialist",
                "agency": PARTNER,
                "budget_hours": 4,
                "inter_agency": True,
            },
            {"name": "Ký duyệt", "role": "leader", "agency": None, "budget_hours": 4},
        ],
    )
    data.update(overrides)
    return data


def world(**procedure_overrides) -> SimpleNamespace:
    """Two agencies, a procedure with an inter-agency step, officers and two citizens."""
    catalog_factories.sector()
    home = catalog.upsert_agency({"code": HOME, "name": "UBND phường Phúc Yên", "level": "commune"})
    partner = catalog.upsert_agency(
        {"code": PARTNER, "name": "Sở Tư pháp tỉnh Phú Thọ", "level": "department"}
    )
    procedure = catalog.import_procedure(procedure_data(**procedure_overrides))
    return SimpleNamespace(
        home=home,
        partner=partner,
        procedure=procedure,
        specs=list(procedure.components.order_by("order", "id")),
        steps=list(procedure.steps.order_by("order", "id")),
        citizen=user("Nguyễn Văn An"),
        other_citizen=user("Trần Thị Bình"),
        reception=officer(home, "reception", full_name="Lê Tiếp Nhận"),
        specialist=officer(home, "specialist", full_name="Phạm Chuyên Viên"),
        head=officer(home, "head", full_name="Hoàng Trưởng Phòng"),
        leader=officer(home, "leader", full_name="Vũ Lãnh Đạo"),
        partner_specialist=officer(partner, "specialist", full_name="Đỗ Chuyên Viên Sở"),
        outsider=officer(partner, "reception", full_name="Ngô Ngoài Cuộc"),
    )


def upload(owner, data=PDF_BYTES, name="giay-to.pdf"):
    return store_file(io.BytesIO(data), name, owner)


def components_for(w, owner) -> list[dict]:
    return [{"spec_id": spec.pk, "file_id": str(upload(owner).pk)} for spec in w.specs]


def submit(w, at: datetime, applicant=None, **extra):
    applicant = applicant or w.citizen
    return services.submit_online(
        applicant_user=applicant,
        procedure=w.procedure.code,
        agency=w.home.code,
        form={"child_name": "Nguyễn Văn Con"},
        components=components_for(w, applicant),
        applicant={"phone": "0912345678", "address": "Phúc Yên, Phú Thọ"},
        now=at,
        **extra,
    )


def counter(w, at: datetime, **extra):
    return services.receive_at_counter(
        officer=w.reception,
        procedure=w.procedure.code,
        agency=w.home.code,
        applicant={"kind": "citizen", "full_name": "Bùi Văn Quầy", "id_number": "026090000111"},
        form={"child_name": "Bùi Văn Nhỏ"},
        components=components_for(w, w.reception),
        now=at,
        **extra,
    )


# Concurrent connections need PostgreSQL; SQLite serialises writers (IMMEDIATE).
on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrent connections need PostgreSQL; SQLite serialises writers (IMMEDIATE).",
)


def at_once(actions) -> list[Exception]:
    """Run the callables in threads released together, each on its own connection; returns
    the errors raised."""
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as exc:  # noqa: BLE001 - returned to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def sign_in(client, user):
    """`client` signed in as `user`, in a session that passed the second factor when the
    user's roles require one (heads and leaders), as every door asks of them."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from motcua.backoffice.second_factor import second_factor_required

    client.force_login(user)
    if second_factor_required(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
