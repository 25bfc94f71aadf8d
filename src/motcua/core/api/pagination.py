"""List pages as docs/api.md gives them: {"items", "total", "page", "page_size"}."""

from typing import Generic, TypeVar

from django.conf import settings
from ninja import Schema
from pydantic import Field

T = TypeVar("T")


# Bounds of every list of the API. A page past MAX_PAGE is refused (422 validation_error)
# rather than sent to the database as an offset that overflows its integers.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"Page number, from 1 to {MAX_PAGE}.")
    page_size: int = Field(
        20, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page (at most {MAX_PAGE_SIZE})."
    )


class Page(Schema, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int


def paginate(rows, params: PageParams, serialize) -> dict:
    """Slice a queryset (or list) and serialize only the rows of the page."""
    size = min(params.page_size, settings.API_PAGE_SIZE_MAX)
    total = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    start = (params.page - 1) * size
    page_rows = rows[start : start + size]
    return {
        "items": [serialize(row) for row in page_rows],
        "total": total,
        "page": params.page,
        "page_size": size,
    }
