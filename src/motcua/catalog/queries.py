"""Reads of the catalog shared by the pages, the API, the import/export and other apps."""

from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import lru_cache

from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.text import fold

from .models import AdministrativeUnit, Agency, Procedure

# A leading "Thủ tục" says nothing about the procedure: ignore it when comparing name lengths.
_GENERIC_PREFIX = "thu tuc "


def published_procedures() -> QuerySet[Procedure]:
    """The current published version of each procedure."""
    return Procedure.objects.filter(status=Procedure.Status.PUBLISHED).select_related("sector")


def published_procedure(code: str) -> Procedure | None:
    return published_procedures().filter(code=code).first()


def _filtered(
    *,
    sector: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    online: str | None = None,
) -> QuerySet[Procedure]:
    rows = published_procedures()
    if sector:
        rows = rows.filter(sector__code=sector)
    if agency:
        rows = rows.filter(agencies__code=agency)
    if level:
        rows = rows.filter(level=level)
    if online:
        rows = rows.filter(online_level=online)
    return rows


_fold_cached = lru_cache(maxsize=4096)(fold)


def _folded_name(search_text: str, code: str, sector_name: str, name: str) -> str:
    """The folded name, cut from search_text (= fold(name code sector)) without folding again."""
    suffix = f" {_fold_cached(code)} {_fold_cached(sector_name)}"
    if search_text.endswith(suffix):
        return search_text[: -len(suffix)]
    return fold(name)


def _rank(name: str, code: str, phrase: str, query_words: list[str], raw_query: str) -> tuple:
    if name.startswith(_GENERIC_PREFIX):
        name = name[len(_GENERIC_PREFIX) :]
    name_words = name.split()
    if raw_query.strip() == code:
        tier = 0
    elif f" {phrase} " in f" {name} ":
        tier = 1
    elif set(query_words) <= set(name_words):
        tier = 2
    else:
        tier = 3
    return (tier, len(name_words), len(name), name, code)


class RankedProcedures(Sequence):
    """Procedures in a computed order, loaded from the database only for the slice asked.

    Works with core.api.pagination.paginate and Django's Paginator (count(), len(), slicing).
    """

    def __init__(self, rows: QuerySet[Procedure], pks: list[int]):
        self._rows, self._pks = rows, pks

    def count(self) -> int:
        return len(self._pks)

    def __len__(self) -> int:
        return len(self._pks)

    def __getitem__(self, index):
        if isinstance(index, slice):
            pks = self._pks[index]
            found = self._rows.in_bulk(pks)
            return [found[pk] for pk in pks if pk in found]
        return self[index : index + 1 if index != -1 else None][0]

    def __iter__(self) -> Iterator[Procedure]:
        for start in range(0, len(self._pks), 500):
            yield from self[start : start + 500]


def ranked_procedures(
    q: str = "",
    *,
    sector: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    online: str | None = None,
) -> QuerySet[Procedure] | RankedProcedures:
    """Like search_procedures, but lazy: only the rows of the page asked for are loaded.

    Use this to paginate; without a query it is a queryset ordered by name.
    """
    rows = _filtered(sector=sector, agency=agency, level=level, online=online)
    query_words = fold(q).split()
    if not query_words:
        # search_text starts with the folded name: a diacritic-insensitive order by name.
        return rows.order_by("search_text", "code")
    # Narrow in the database (every word somewhere in the folded text), rank in Python on
    # a few columns: identical on SQLite and PostgreSQL, and cheap for thousands of rows.
    candidates = rows
    for word in query_words:
        candidates = candidates.filter(search_text__contains=word)
    phrase = " ".join(query_words)
    ranked = sorted(
        (
            (_rank(_folded_name(text, code, sector, name), code, phrase, query_words, q), pk)
            for pk, name, code, text, sector in candidates.values_list(
                "pk", "name", "code", "search_text", "sector__name"
            )
        ),
    )
    return RankedProcedures(rows, [pk for _, pk in ranked])


def search_procedures(
    q: str = "",
    *,
    sector: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    online: str | None = None,
) -> list[Procedure]:
    """Published procedures matching `q` with or without diacritics, most relevant first.

    Ranking: the exact code; then the query as a phrase in the name; then every word in the
    name; then words anywhere (code, sector); ties go to the shorter name. Every match is
    loaded: to show a page, slice ranked_procedures() instead.
    """
    return list(ranked_procedures(q, sector=sector, agency=agency, level=level, online=online))


def fee_total(procedure: Procedure) -> int:
    """Sum of the fees paid at the counter (uses prefetched fees when there are some)."""
    return sum(fee.amount for fee in procedure.fees.all())


def active_agencies(level: str | None = None) -> QuerySet[Agency]:
    rows = Agency.objects.filter(is_active=True).select_related("parent", "unit")
    if level:
        rows = rows.filter(level=level)
    return rows.order_by("code")


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def procedure_as_dict(procedure: Procedure) -> dict:
    """The procedure as the dict `services.import_procedure` takes (docs/catalog.md)."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "sector": procedure.sector.code,
        "level": procedure.level,
        "agencies": sorted(a.code for a in procedure.agencies.all()),
        "steps_text": procedure.steps_text,
        "submission_text": procedure.submission_text,
        "channels": list(procedure.channels),
        "processing_time": {
            "value": _number(procedure.processing_time_value),
            "unit": procedure.processing_time_unit,
            "cutoff": procedure.cutoff_time.strftime("%H:%M") if procedure.cutoff_time else None,
            "text": procedure.processing_time_text,
        },
        "applicant_text": procedure.applicant_text,
        "applicant_kinds": list(procedure.applicant_kinds),
        "requirements_text": procedure.requirements_text,
        "fee_text": procedure.fee_text,
        "payment_due": procedure.payment_due,
        "result_type": procedure.result_type,
        "result_is_document": procedure.result_is_document,
        "online_level": procedure.online_level,
        "full_process_eligible": procedure.full_process_eligible,
        "form_schema": procedure.form_schema,
        "form_ui": procedure.form_ui,
        "publication_decision": procedure.publication_decision,
        "publication_date": procedure.publication_date.isoformat()
        if procedure.publication_date
        else None,
        "made_public_at": timezone.localtime(procedure.made_public_at).isoformat()
        if procedure.made_public_at
        else None,
        "legal_bases": [_legal_basis_as_dict(b) for b in procedure.legal_bases.all()],
        "components": [_component_as_dict(c) for c in procedure.components.all()],
        "fees": [_fee_as_dict(f) for f in procedure.fees.all()],
        "steps": [_step_as_dict(s) for s in procedure.steps.all()],
    }


def _legal_basis_as_dict(basis) -> dict:
    return {
        "number": basis.number,
        "title": basis.title,
        "issuer": basis.issuer,
        "issued_on": basis.issued_on.isoformat() if basis.issued_on else None,
        "effective_on": basis.effective_on.isoformat() if basis.effective_on else None,
    }


def _component_as_dict(component) -> dict:
    return {
        "name": component.name,
        "copies": component.copies,
        "original_required": component.original_required,
        "required": component.required,
        "template_name": component.template_name,
        "digitization_required": component.digitization_required,
        "note": component.note,
        # Only when set: a catalog written before the field exports as it was imported.
        **({"document_kind": component.document_kind} if component.document_kind else {}),
    }


def _fee_as_dict(fee) -> dict:
    return {
        "name": fee.name,
        "kind": fee.kind,
        "amount": fee.amount,
        "online_amount": fee.online_amount,
        "per_unit_field": fee.per_unit_field,
        "exemption_field": fee.exemption_field,
        "exemption_values": list(fee.exemption_values),
        "exemption_reason": fee.exemption_reason,
        "note": fee.note,
    }


def _step_as_dict(step) -> dict:
    return {
        "name": step.name,
        "role": step.role,
        "agency": step.agency.code if step.agency_id else None,
        "budget_hours": _number(step.budget_hours),
        "inter_agency": step.inter_agency,
    }


PROCEDURE_DICT_PREFETCH = (
    "agencies",
    "legal_bases",
    "components",
    "fees",
    "steps__agency",
)


def province_names() -> list[str]:
    """Provinces of the administrative units, by name (the address picker's first step)."""
    return list(
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE)
        .order_by("name")
        .values_list("name", flat=True)
    )


def commune_names(province: str) -> list[str]:
    """The communes of the province named `province` (empty for an unknown one)."""
    if not province:
        return []
    return list(
        AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE,
            province__name=province,
            province__level=AdministrativeUnit.Level.PROVINCE,
        )
        .order_by("name")
        .values_list("name", flat=True)
    )
