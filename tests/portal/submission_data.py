"""The birth registration (1.001193) and the monthly social allowance (1.001776) with their
demo e-forms (address, conditional question, repeating group), a province with two
communes, and a citizen: for the submission page tests and the browser tests."""

import json

from motcua.catalog import services
from motcua.catalog.demo import DATA_DIR
from motcua.catalog.models import AdministrativeUnit
from motcua.core.models import User
from tests.catalog import factories

from .catalog_data import COMMUNE, build_catalog

DEMO = DATA_DIR / "demo_procedures.json"
BIRTH, ALLOWANCE = "1.001193", "1.001776"
PROVINCE = "Tỉnh Phú Thọ"
COMMUNES = ["Phường Phúc Yên", "Xã Xuân Lãng"]
CITIZEN_ID = "026090000123"
PASSWORD = "mật-khẩu-dài-2026"


def demo(code: str) -> dict:
    procedures = json.loads(DEMO.read_text())["procedures"]
    return next(p for p in procedures if p["code"] == code)


def build(birth_only: bool = False):
    """The page catalog, with 1.001193 (and 1.001776) carrying their demo e-forms."""
    build_catalog()
    for code in (BIRTH,) if birth_only else (BIRTH, ALLOWANCE):
        source = demo(code)
        services.import_procedure(
            factories.procedure_data(
                code=code,
                name="Đăng ký khai sinh" if code == BIRTH else source["name"],
                sector="ho-tich",
                agencies=[COMMUNE],
                online_level="full",
                form_schema=source["form_schema"],
                form_ui=source["form_ui"],
                components=source["components"],
            )
        )
    province = AdministrativeUnit.objects.create(
        code="25", name=PROVINCE, division_type="tỉnh", level="province"
    )
    for n, name in enumerate(COMMUNES):
        AdministrativeUnit.objects.create(
            code=f"0811{n}", name=name, division_type="xã", level="commune", province=province
        )


def citizen(id_number=CITIZEN_ID, full_name="Nguyễn Thị Hoa") -> User:
    return User.objects.create_user(
        username=id_number,
        id_number=id_number,
        full_name=full_name,
        phone="0912345678",
        password=PASSWORD,
    )
