"""The daily collection report as files for the treasury: CSV (UTF-8 with BOM, which
spreadsheet programs open with the Vietnamese intact) and XLSX, in Vietnamese."""

import csv
import io

from openpyxl import Workbook

METHODS = {"vietqr": "Chuyển khoản VietQR", "cash": "Tiền mặt", "card": "Thẻ ngân hàng"}
STATUSES = {"issued": "Đã phát hành", "cancelled": "Đã hủy"}
HEADER = [
    "Số biên lai",
    "Mã hồ sơ",
    "Người nộp",
    "Số tiền (đồng)",
    "Hình thức",
    "Trạng thái",
    "Thời điểm lập",
]


def collection_rows(report: dict) -> list[list]:
    """The header, one row per receipt, then the day's totals."""
    rows = [HEADER]
    for r in report["receipts"]:
        rows.append(
            [
                r["number"],
                r["dossier"],
                r["payer_name"],
                r["amount"],
                METHODS.get(r["method"], r["method"]),
                STATUSES.get(r["status"], r["status"]),
                r["issued_at"].strftime("%d/%m/%Y %H:%M"),
            ]
        )
    rows.append([])
    for m in report["by_method"]:
        rows.append(
            [f"Thu bằng {METHODS.get(m['method'], m['method']).lower()}", "", "", m["amount"]]
        )
    rows.append(["Tổng thu (không kể biên lai đã hủy)", "", "", report["collected"]])
    rows.append(["Đã hoàn trả", "", "", report["refunded"]])
    rows.append(["Thực thu", "", "", report["net"]])
    return rows


def filename(report: dict, extension: str) -> str:
    return f"thu-phi-{report['agency']}-{report['date']}.{extension}"


def collection_csv(report: dict) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(collection_rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def collection_xlsx(report: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "thu-phi"
    sheet.append([f"Báo cáo thu phí, lệ phí ngày {report['date']} — {report['agency']}"])
    for row in collection_rows(report):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
