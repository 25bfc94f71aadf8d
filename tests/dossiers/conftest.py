import pytest

from motcua.workdays.calendar import clear_cache

from . import factories


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def w(db):
    return factories.world()
