"""`python -m motcua seed_demo [--json]`: load the demo data and print its credentials."""

import importlib
import importlib.util
import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from motcua.catalog.models import Agency, OfficerRole

FIRST = "motcua.catalog"


def demo_modules() -> list[str]:
    """`<app>.demo` of every project app that has one, the catalog first."""
    apps = [FIRST] + [
        app for app in settings.INSTALLED_APPS if app.startswith("motcua.") and app != FIRST
    ]
    return [f"{app}.demo" for app in apps if importlib.util.find_spec(f"{app}.demo") is not None]


def merge(total: dict, part: dict) -> dict:
    """Lists are concatenated (without repeats), dicts merged, other values replaced."""
    for key, value in part.items():
        if isinstance(value, list):
            items = total.setdefault(key, [])
            items.extend(item for item in value if item not in items)
        elif isinstance(value, dict):
            total.setdefault(key, {}).update(value)
        else:
            total[key] = value
    return total


def seed_all() -> dict:
    result: dict = {}
    with transaction.atomic():
        for module in demo_modules():
            merge(result, importlib.import_module(module).seed())
    return result


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (cơ quan, thủ tục, cán bộ, công dân) và in tài khoản đăng nhập."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="In kết quả dạng JSON (docs/api.md, Demo data)."
        )

    def handle(self, *args, **options):
        result = seed_all()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(render_table(result))


def _table(title: str, headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)
    ]

    def line(cells):
        cells = (str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "  ".join(cells).rstrip()

    return [title, line(headers), "  ".join("-" * width for width in widths)] + [
        line(row) for row in rows
    ]


def render_table(result: dict) -> str:
    role_names = dict(OfficerRole.Role.choices)
    officers = result.get("officers", [])
    agency_names = dict(
        Agency.objects.filter(code__in={o["agency"] for o in officers}).values_list(
            "code", "short_name"
        )
    )
    lines = _table(
        "TÀI KHOẢN CÔNG DÂN",
        ["Tên đăng nhập", "Mật khẩu", "Họ và tên"],
        [[c["username"], c["password"], c["full_name"]] for c in result.get("citizens", [])],
    )
    lines.append("")
    lines += _table(
        "TÀI KHOẢN CÁN BỘ",
        ["Tên đăng nhập", "Mật khẩu", "Mã cơ quan", "Cơ quan", "Vai trò"],
        [
            [
                o["username"],
                o["password"],
                o["agency"],
                agency_names.get(o["agency"]) or "",
                ", ".join(str(role_names.get(r, r)) for r in o["roles"]),
            ]
            for o in officers
        ],
    )
    if settings.OFFICER_TWO_FACTOR_REQUIRED:
        lines.append(
            "Trưởng phòng, lãnh đạo (head, leader): lần đầu đăng nhập /mot-cua/ sẽ quét mã QR "
            "bằng ứng dụng xác thực (hoặc `oathtool --totp -b <khóa bí mật hiện trên trang>`); "
            "OFFICER_TWO_FACTOR_REQUIRED=false bỏ bước này trên máy thử."
        )
    lines.append("")
    lines += _table(
        "TÀI KHOẢN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG (nộp hồ sơ hộ công dân)",
        ["Tên đăng nhập", "Mật khẩu", "Họ và tên", "Tổ"],
        [
            [h["username"], h["password"], h["full_name"], h["organisation"]]
            for h in result.get("helpers", [])
        ],
    )
    lines.append("")
    lines.append(f"Số thủ tục hành chính mẫu: {len(result.get('procedures', []))}")
    lines.append(f"Khóa bí mật webhook thanh toán: {result.get('payment_webhook_secret', '')}")
    return "\n".join(lines)
