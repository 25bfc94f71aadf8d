import pytest

from .catalog_data import build_catalog


@pytest.fixture
def catalog(db):
    build_catalog()
