"""List pages as api.md gives them: {"items", "total", "page", "page_size"}."""

from typing import Generic, TypeVar

from django.conf import settings
from ninja import Schema
from pydantic import Field

T = TypeVar("T")


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=100, description="Items per page (at most 100).")


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
