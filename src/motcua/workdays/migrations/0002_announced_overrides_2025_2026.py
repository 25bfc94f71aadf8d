"""Announced changes to the civil servants' working calendar for 2025 and 2026 that the
`holidays` package does not give. The package already has the days off (Tết, the observed
days, 02/05/2025 and 31/08/2026 given in exchange); it does not have the Saturdays worked in
exchange, which are added here. Operators add later announcements in the admin."""

import datetime

from django.db import migrations

OVERRIDES = [
    {
        "date": datetime.date(2025, 4, 26),
        "kind": "working_day",
        "name": "Làm việc bù cho ngày nghỉ thứ Sáu 02/05/2025 (dịp 30/4 và 1/5)",
        "decision": "Công văn số 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ; "
        "Thông báo số 6150/TB-BLĐTBXH của Bộ Lao động - Thương binh và Xã hội",
    },
    {
        "date": datetime.date(2026, 8, 22),
        "kind": "working_day",
        "name": "Làm việc bù cho ngày nghỉ thứ Hai 31/08/2026 (dịp Quốc khánh 2/9)",
        "decision": "Thông báo của Bộ Nội vụ về lịch nghỉ lễ Quốc khánh năm 2026 đối với "
        "cán bộ, công chức, viên chức",
    },
]


def add_overrides(apps, schema_editor):
    HolidayOverride = apps.get_model("workdays", "HolidayOverride")
    for row in OVERRIDES:
        HolidayOverride.objects.update_or_create(
            date=row["date"], defaults={k: v for k, v in row.items() if k != "date"}
        )


def remove_overrides(apps, schema_editor):
    HolidayOverride = apps.get_model("workdays", "HolidayOverride")
    HolidayOverride.objects.filter(date__in=[row["date"] for row in OVERRIDES]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(add_overrides, remove_overrides)]
