import pytest

from motcua.workdays.calendar import clear_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test sees the override table of its own transaction, not a previous test's."""
    clear_cache()
    yield
    clear_cache()
