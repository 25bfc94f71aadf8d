"""Answers for the demo e-forms that mean what their fields ask: an ethnic group where the form
asks "Dân tộc", a land use where it asks "Mục đích sử dụng đất", an address in the demo
province, dates in a plausible range. An officer reading a demo dossier sees a dossier, not
noise. The value is chosen by the field's name (the demo procedures' own names), then by the
shape the schema asks for (enum, format, pattern)."""

import random
import re
from datetime import date, timedelta

from motcua.core import ids

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Hải", "Thanh", "Hữu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Tâm"]
# The ethnic groups most present in the demo province (Lào Cai).
ETHNICITIES = ["Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Mông", "Dao", "Nùng", "Giáy"]
PLACES = [
    "phường Yên Bái",
    "phường Lào Cai",
    "phường Sa Pa",
    "phường Cam Đường",
    "xã Bảo Thắng",
    "phường Nghĩa Lộ",
]
STREETS = ["Hoàng Liên", "Trần Hưng Đạo", "Nguyễn Huệ", "Điện Biên", "Hồng Hà", "Lê Lợi"]
LAND_USES = [
    "Đất ở tại đô thị",
    "Đất ở tại nông thôn",
    "Đất trồng cây lâu năm",
    "Đất trồng lúa",
    "Đất rừng sản xuất",
]
LAND_ORIGINS = [
    "Nhận chuyển nhượng quyền sử dụng đất",
    "Nhận thừa kế quyền sử dụng đất",
    "Nhà nước giao đất có thu tiền sử dụng đất",
]
BANKS = [
    "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam (Agribank)",
    "Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)",
    "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)",
]
SCHOOLS = ["Trường THCS Lê Quý Đôn", "Trường THPT số 1 Lào Cai", "Trường Tiểu học Kim Đồng"]

# Values that fit the shapes the demo e-forms ask for (ID numbers, phones, tax codes, times).
PATTERN_SAMPLES = [
    "001090012345",
    "0912345678",
    "0101234567",
    "0101234567-001",
    "2024",
    "08:30",
    "AB 123456",
]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def address(rng: random.Random) -> str:
    place = rng.choice(PLACES)
    return f"Số {rng.randint(1, 200)}, đường {rng.choice(STREETS)}, {place}, tỉnh Lào Cai"


def tax_code(rng: random.Random) -> str:
    """A tax code with a valid check digit (Lào Cai codes begin 53)."""
    while True:
        code = ids.with_tax_check_digit(f"53{rng.randint(0, 9999999):07d}")
        if code:
            return code


def _number(rng: random.Random) -> str:
    return f"{rng.randint(1, 999)}/{rng.randint(2015, 2025)}"


def _day(rng: random.Random, first: date, last: date) -> str:
    return (first + timedelta(days=rng.randrange((last - first).days))).isoformat()


# Field name → what it holds. Names ending in `_name` (a person) and those holding an address
# are matched by the rules below the table.
BY_NAME = {
    "ethnicity": lambda rng: rng.choice(ETHNICITIES),
    "nationality": lambda rng: "Việt Nam",
    "land_use_purpose": lambda rng: rng.choice(LAND_USES),
    "origin": lambda rng: rng.choice(LAND_ORIGINS),
    "bank_name": lambda rng: rng.choice(BANKS),
    "bank_account": lambda rng: f"{rng.randint(10**11, 10**12 - 1)}",
    "relationship": lambda rng: rng.choice(["Cha", "Mẹ", "Con", "Vợ", "Chồng"]),
    "commune": lambda rng: rng.choice(PLACES),
    "province": lambda rng: "tỉnh Lào Cai",
    "home_town": lambda rng: f"{rng.choice(PLACES)}, tỉnh Lào Cai",
    "place_of_birth": lambda rng: "Bệnh viện Sản Nhi tỉnh Lào Cai",
    "place_of_death": lambda rng: address(rng),
    "cause_of_death": lambda rng: "Bệnh già",
    "cemetery": lambda rng: "Nghĩa trang nhân dân phường Cam Đường",
    "health_facility": lambda rng: "Bệnh viện Đa khoa tỉnh Lào Cai",
    "school": lambda rng: rng.choice(SCHOOLS),
    "from_school": lambda rng: rng.choice(SCHOOLS),
    "to_school": lambda rng: rng.choice(SCHOOLS),
    "company_name": lambda rng: f"Công ty TNHH {rng.choice(GIVEN)} {rng.choice(GIVEN)}",
    "company_name_foreign": lambda rng: f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} Company Limited",
    "business_name": lambda rng: f"Hộ kinh doanh {person_name(rng)}",
    "name": lambda rng: f"Hợp tác xã {rng.choice(GIVEN)} {rng.choice(PLACES).split()[-1]}",
    "project_name": lambda rng: f"Nhà ở riêng lẻ tại {rng.choice(PLACES)}",
    "designer": lambda rng: f"Công ty Tư vấn xây dựng {rng.choice(GIVEN)}",
    "business_lines": lambda rng: "Bán lẻ lương thực, thực phẩm",
    "job_title": lambda rng: "Kỹ sư vận hành",
    "last_employer": lambda rng: f"Công ty TNHH {rng.choice(GIVEN)} {rng.choice(GIVEN)}",
    "work_place": lambda rng: address(rng),
    "map_sheet": lambda rng: str(rng.randint(1, 60)),
    "parcel_number": lambda rng: str(rng.randint(1, 900)),
    "asset_description": lambda rng: "Nhà ở hai tầng trên thửa đất ở",
    "document_name": lambda rng: "Giấy khai sinh",
    "issuer": lambda rng: "Ủy ban nhân dân phường Cam Đường",
    "purpose": lambda rng: "Bổ sung hồ sơ xin việc",
    "reason": lambda rng: "Thay đổi nơi cư trú của gia đình",
    "basis": lambda rng: "Giấy khai sinh bản chính",
    "change_content": lambda rng: "Thay đổi địa chỉ trụ sở chính",
    "field_changed": lambda rng: "Ngày, tháng, năm sinh",
    "old_value": lambda rng: _day(rng, date(1960, 1, 1), date(2000, 1, 1)),
    "new_value": lambda rng: _day(rng, date(1960, 1, 1), date(2000, 1, 1)),
    "residence_history": lambda rng: f"Từ năm 2010 đến nay: {address(rng)}",
    "authorisation": lambda rng: f"Giấy ủy quyền số {_number(rng)}",
    "basis_document": lambda rng: f"Hợp đồng số {_number(rng)}",
    "project_decision": lambda rng: f"Quyết định số {_number(rng)}/QĐ-UBND",
}
DATES = {
    "date_of_birth": (date(1950, 1, 1), date(2006, 1, 1)),
    "since": (date(1995, 1, 1), date(2020, 1, 1)),
}
RECENT_DATES = (date(2025, 1, 1), date(2025, 12, 1))


def answer(schema: dict, rng: random.Random, name: str = ""):
    """A plausible answer for a JSON Schema (the demo e-forms), by meaning then by shape."""
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {key: answer(sub, rng, key) for key, sub in props.items()}
    if kind == "array":
        return [answer(schema.get("items", {}), rng, name)] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    return _text(schema, rng, name)


def _text(schema: dict, rng: random.Random, name: str) -> str:
    fmt = schema.get("format")
    if fmt == "date":
        return _day(rng, *DATES.get(name, RECENT_DATES))
    if fmt == "email":
        return "congdan@example.vn"
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        for candidate in PATTERN_SAMPLES:
            if pattern.search(candidate):
                return candidate
    if name in BY_NAME:
        text = BY_NAME[name](rng)
    elif name.endswith("_name") or name in ("full_name", "former_names"):
        text = person_name(rng)
    elif "address" in name or name in ("head_office", "detail"):
        text = address(rng)
    elif name.endswith("_number") or name.endswith("_certificate") or name == "tax_code":
        text = _number(rng)
    else:
        text = f"Nội dung {schema.get('title', name).lower()}".strip()
    return text[: schema.get("maxLength", 200)]
