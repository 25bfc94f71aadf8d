"""List pages read `?page=` one way: a bad number is the first page, one past the end (however
long) the last, with the API's bound; never an error."""

import pytest
from django.test import RequestFactory

from motcua.core.paging import page_of

ROWS = list(range(45))  # three pages of 20


@pytest.mark.parametrize(
    "asked,number",
    [
        (None, 1),
        ("2", 2),
        ("abc", 1),
        ("0", 3),  # Paginator: below the first page is the last one
        ("4", 3),
        ("18446744073709551617", 3),  # past a 64-bit integer
        ("9" * 5000, 3),  # past Python's own bound on parsing integers
    ],
)
def test_a_page_number_never_fails(asked, number):
    request = RequestFactory().get("/", {"page": asked} if asked is not None else {})
    page = page_of(request, ROWS)
    assert page.number == number
    assert list(page.elided_range) == [1, 2, 3]


def test_the_page_holds_its_rows():
    page = page_of(RequestFactory().get("/", {"page": "3"}), ROWS)
    assert list(page.object_list) == list(range(40, 45))
