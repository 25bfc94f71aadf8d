"""One page of a list on the portal's and the back office's pages, read from `?page=` with the
bound the API's lists keep (`core.api.pagination.MAX_PAGE`)."""

from django.core.paginator import Paginator

from .api.pagination import MAX_PAGE

PAGE_SIZE = 20


def _number(value: str | None) -> str | int | None:
    """A page number too long to be one is past the end (the last page), never sent on."""
    if value and value.isdigit() and len(value) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return value


def page_of(request, rows, size: int = PAGE_SIZE):
    """The page `?page=` asks for: a missing or bad number is the first page, one past the end
    the last (never an error), with the page numbers to show around it (`elided_range`)."""
    page = Paginator(rows, size).get_page(_number(request.GET.get("page")))
    page.elided_range = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return page
