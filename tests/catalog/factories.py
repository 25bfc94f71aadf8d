"""Catalog test data built through the services, as the import and the demo build it."""

import copy
import itertools

from motcua.catalog import services

_numbers = itertools.count(1)

AGENCY_CODE = "000.00.31.H26"


# A commune People's Committee under the province's (which must exist first).
COMMUNE = {
    "code": AGENCY_CODE,
    "name": "UBND phường Phúc Yên",
    "level": "commune",
    "parent": "000.00.00.H26",
    "hotline": "0211 3869 100",
    "office_hours": [["07:30", "11:30"], ["13:30", "17:00"]],
}


def sector(code="ho-tich", name="Hộ tịch"):
    return services.upsert_sector(code, name, "Civil status")


def agency(code=AGENCY_CODE, name="UBND phường Phúc Yên", level="commune", **extra):
    return services.upsert_agency({"code": code, "name": name, "level": level, **extra})


BIRTH_REGISTRATION = {
    "code": "1.001193",
    "name": "Đăng ký khai sinh",
    "sector": "ho-tich",
    "level": "commune",
    "agencies": [AGENCY_CODE],
    "steps_text": "Người yêu cầu nộp hồ sơ; công chức tư pháp - hộ tịch kiểm tra và ghi sổ.",
    "submission_text": "Trực tiếp, trực tuyến hoặc qua bưu chính.",
    "channels": ["counter", "online", "post"],
    "processing_time": {
        "value": 1,
        "unit": "working_days",
        "cutoff": "15:00",
        "text": "Ngay trong ngày tiếp nhận; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo.",
    },
    "applicant_text": "Công dân Việt Nam",
    "applicant_kinds": ["citizen"],
    "requirements_text": "",
    "fee_text": "Miễn lệ phí khi đăng ký đúng hạn.",
    "payment_due": "at_submission",
    "result_type": "Giấy khai sinh",
    "result_is_document": True,
    "online_level": "full",
    "full_process_eligible": True,
    "form_schema": {
        "type": "object",
        "required": ["child_name"],
        "properties": {"child_name": {"type": "string", "title": "Họ, chữ đệm, tên"}},
    },
    "form_ui": {"order": ["child_name"]},
    "publication_decision": "Quyết định số 1084/QĐ-UBND",
    "publication_date": "2025-07-01",
    "made_public_at": "2025-07-03T09:00:00+07:00",
    "legal_bases": [
        {
            "number": "60/2014/QH13",
            "title": "Luật Hộ tịch",
            "issuer": "Quốc hội",
            "issued_on": "2014-11-20",
            "effective_on": "2016-01-01",
        }
    ],
    "components": [
        {
            "name": "Tờ khai đăng ký khai sinh",
            "copies": 1,
            "original_required": True,
            "required": True,
            "template_name": "Mẫu TP/HT-2020-KS.1",
            "digitization_required": False,
            "note": "",
        },
        {
            "name": "Giấy chứng sinh",
            "copies": 1,
            "original_required": True,
            "required": True,
            "template_name": "",
            "digitization_required": True,
            "note": "",
        },
    ],
    "fees": [
        {
            "name": "Lệ phí đăng ký khai sinh",
            "kind": "charge",
            "amount": 8000,
            "online_amount": 0,
            "per_unit_field": "",
            "exemption_field": "",
            "exemption_values": [],
            "exemption_reason": "",
            "note": "",
        }
    ],
    "steps": [
        {
            "name": "Tiếp nhận hồ sơ",
            "role": "reception",
            "agency": None,
            "budget_hours": 2,
            "inter_agency": False,
        },
        {
            "name": "Xử lý, trình ký",
            "role": "specialist",
            "agency": None,
            "budget_hours": 4.5,
            "inter_agency": False,
        },
    ],
}


def procedure_data(**overrides):
    data = copy.deepcopy(BIRTH_REGISTRATION)
    data.update(overrides)
    return data


def next_code():
    return f"2.{next(_numbers):06d}"


def procedure(**overrides):
    """A published procedure (sector and agency created when missing)."""
    sector()
    agency()
    data = procedure_data(**overrides)
    if "code" not in overrides:
        data["code"] = next_code()
    return services.import_procedure(data)
