"""Payments test data, built through the catalog, dossier and payment services."""

import itertools
from types import SimpleNamespace

from motcua.catalog import services as catalog
from motcua.catalog.models import OfficerRole
from motcua.core.models import User
from motcua.dossiers import services as dossiers
from motcua.payments.models import CollectionAccount
from tests.catalog import factories as catalog_factories

HOME = "000.00.31.H26"
OTHER = "000.00.32.H26"
SECRET = "test-webhook-secret"

_numbers = itertools.count(1)

STEPS = [
    {"name": "Tiếp nhận hồ sơ", "role": "reception", "agency": None, "budget_hours": 2},
    {"name": "Thẩm định", "role": "specialist", "agency": None, "budget_hours": 8},
    {"name": "Ký duyệt", "role": "leader", "agency": None, "budget_hours": 4},
]
FORM_SCHEMA = {
    "type": "object",
    "required": ["full_name"],
    "properties": {
        "full_name": {"type": "string", "title": "Họ và tên"},
        "copies": {"type": "integer", "minimum": 0, "title": "Số bản sao"},
        "poor_household": {"type": "boolean", "title": "Thuộc hộ nghèo"},
        "beneficiary": {
            "type": "object",
            "properties": {"category": {"type": "string", "title": "Đối tượng"}},
        },
    },
}
POOR_EXEMPT = "người thuộc hộ nghèo (Thông tư 85/2019/TT-BTC, Điều 5)"


def citizen(full_name="Nguyễn Văn An") -> User:
    n = next(_numbers)
    id_number = f"0260900{n:05d}"
    return User.objects.create_user(username=id_number, full_name=full_name, id_number=id_number)


def officer(agency, *roles) -> User:
    n = next(_numbers)
    user = User.objects.create_user(username=f"thu{n}", full_name=f"Cán bộ thu {n}")
    for role in roles:
        OfficerRole.objects.create(user=user, agency=agency, role=role)
    return user


def procedure(fees, *, payment_due="at_submission", agencies=(HOME,)):
    return catalog.import_procedure(
        catalog_factories.procedure_data(
            code=catalog_factories.next_code(),
            name="Cấp bản sao trích lục hộ tịch",
            agencies=list(agencies),
            processing_time={"value": 2, "unit": "working_days", "cutoff": None, "text": ""},
            payment_due=payment_due,
            form_schema=FORM_SCHEMA,
            form_ui={},
            components=[],
            fees=fees,
            steps=STEPS,
        )
    )


def world() -> SimpleNamespace:
    catalog_factories.sector()
    home = catalog.upsert_agency({"code": HOME, "name": "UBND phường Phúc Yên", "level": "commune"})
    other = catalog.upsert_agency({"code": OTHER, "name": "UBND xã Ngọc Thanh", "level": "commune"})
    CollectionAccount.objects.create(
        agency=home,
        bank_bin="970415",
        bank_name="VietinBank",
        account_number="113000123456",
        account_name="UBND PHUONG PHUC YEN",
    )
    copy_fee = {
        "name": "Phí cấp bản sao trích lục",
        "kind": "fee",
        "amount": 10000,
        "online_amount": 8000,
        "per_unit_field": "copies",
        "note": "",
    }
    free_online = {
        "name": "Lệ phí đăng ký",
        "kind": "charge",
        "amount": 8000,
        "online_amount": 0,
        "per_unit_field": "",
        "note": "",
    }
    exempt_fee = {
        **free_online,
        "online_amount": None,
        "exemption_field": "poor_household",
        "exemption_reason": POOR_EXEMPT,
    }
    return SimpleNamespace(
        home=home,
        other=other,
        paid_procedure=procedure([copy_fee]),
        free_procedure=procedure([free_online]),
        later_procedure=procedure([copy_fee], payment_due="before_result"),
        before_procedure=procedure([copy_fee], payment_due="before_processing"),
        exempt_procedure=procedure([exempt_fee, copy_fee]),
        citizen=citizen(),
        other_citizen=citizen("Trần Thị Bình"),
        reception=officer(home, "reception"),
        specialist=officer(home, "specialist"),
        leader=officer(home, "leader"),
        outsider=officer(other, "reception"),
    )


def submit(w, proc=None, *, copies=3, applicant=None, now=None, **answers):
    return dossiers.submit_online(
        applicant_user=applicant or w.citizen,
        procedure=(proc or w.paid_procedure).code,
        agency=HOME,
        form={"full_name": "Nguyễn Văn An", "copies": copies, **answers},
        components=[],
        applicant={"phone": "0912345678", "address": "Phúc Yên, Phú Thọ"},
        now=now,
    )


def at_counter(w, proc=None, *, copies=2):
    return dossiers.receive_at_counter(
        officer=w.reception,
        procedure=(proc or w.paid_procedure).code,
        agency=HOME,
        applicant={"kind": "citizen", "full_name": "Bùi Văn Quầy", "id_number": "026090000111"},
        form={"full_name": "Bùi Văn Quầy", "copies": copies},
        components=[],
    )
