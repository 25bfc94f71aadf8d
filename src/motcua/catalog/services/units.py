"""Administrative units (provinces and communes) from `vietnam-provinces`."""

from django.db import transaction

from motcua.core.errors import ValidationFailed

from ..models import AdministrativeUnit


@transaction.atomic
def load_administrative_units(province_codes: list[str] | None = None) -> int:
    """Load provinces and their communes from `vietnam-provinces`; returns the row count."""
    from vietnam_provinces import Province, Ward

    provinces = {f"{int(p.code):02d}": p for p in Province.iter_all()}
    if province_codes is not None:
        unknown = [c for c in province_codes if c not in provinces]
        if unknown:
            raise ValidationFailed(
                fields={"province_codes": [f"Không có tỉnh mã: {', '.join(unknown)}."]}
            )
        provinces = {c: provinces[c] for c in province_codes}
    _sync_units(
        {code: (p, None) for code, p in provinces.items()}, AdministrativeUnit.Level.PROVINCE
    )
    province_ids = dict(
        AdministrativeUnit.objects.filter(code__in=provinces).values_list("code", "pk")
    )
    wards = {}
    for w in Ward.iter_all():
        province_code = f"{int(w.province_code):02d}"
        if province_code in provinces:
            wards[f"{int(w.code):05d}"] = (w, province_ids[province_code])
    _sync_units(wards, AdministrativeUnit.Level.COMMUNE)
    return AdministrativeUnit.objects.count()


def _sync_units(sources: dict, level: str) -> None:
    """Create the missing units and update the changed ones, in bulk."""
    existing = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=list(sources))}
    new_rows, changed = [], []
    for code, (source, province_id) in sources.items():
        values = {
            "name": source.name,
            "division_type": source.division_type.value,
            "codename": source.codename,
            "level": level,
            "province_id": province_id,
        }
        row = existing.get(code)
        if row is None:
            new_rows.append(AdministrativeUnit(code=code, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    AdministrativeUnit.objects.bulk_create(new_rows, batch_size=500)
    AdministrativeUnit.objects.bulk_update(
        changed, ["name", "division_type", "codename", "level", "province"], batch_size=500
    )
