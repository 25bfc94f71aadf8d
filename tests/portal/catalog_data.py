"""A small real-looking catalog for the page tests and the browser tests."""

from motcua.catalog import services
from tests.catalog import factories

PROVINCE = "000.00.00.H26"
COMMUNE = factories.AGENCY_CODE
DEPARTMENT = "000.00.12.H26"

# (code, name, sector, level, online level, agency)
PROCEDURES = [
    ("1.001193", "Đăng ký khai sinh", "ho-tich", "commune", "full", COMMUNE),
    ("1.004884", "Đăng ký lại khai sinh", "ho-tich", "commune", "partial", COMMUNE),
    (
        "1.001695",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        "ho-tich",
        "commune",
        "partial",
        COMMUNE,
    ),
    ("1.000894", "Đăng ký kết hôn", "ho-tich", "commune", "full", COMMUNE),
    ("2.000815", "Chứng thực bản sao từ bản chính", "chung-thuc", "commune", "none", COMMUNE),
    ("1.009994", "Cấp giấy phép xây dựng", "xay-dung", "province", "partial", DEPARTMENT),
]


def build_catalog():
    """A small real-looking catalog: a province, one department, one commune, six procedures."""
    services.upsert_agency(
        {
            "code": PROVINCE,
            "name": "UBND tỉnh Phú Thọ",
            "level": "province",
            "address": "Số 38 Trần Phú, phường Việt Trì, tỉnh Phú Thọ",
            "hotline": "0210 3846 535",
            "email": "ubnd@phutho.gov.vn",
        }
    )
    services.upsert_agency(
        {
            "code": DEPARTMENT,
            "name": "Sở Xây dựng tỉnh Phú Thọ",
            "level": "department",
            "parent": PROVINCE,
            "hotline": "0210 3847 212",
        }
    )
    services.upsert_agency(
        factories.COMMUNE
        | {"address": "Số 1 đường Hai Bà Trưng, phường Phúc Yên", "email": "phucyen@phutho.gov.vn"}
    )
    factories.sector()
    services.upsert_sector("chung-thuc", "Chứng thực", "Certification")
    services.upsert_sector("xay-dung", "Xây dựng", "Construction")
    for code, name, sector, level, online, agency in PROCEDURES:
        overrides = {}
        if sector == "chung-thuc":
            overrides = {
                "processing_time": {"value": 0, "unit": "in_day", "cutoff": "15:00", "text": ""},
                "channels": ["counter"],
                "fees": [],
            }
        services.import_procedure(
            factories.procedure_data(
                code=code,
                name=name,
                sector=sector,
                level=level,
                online_level=online,
                agencies=[agency],
                **overrides,
            )
        )
