import pytest

from tests.dossiers import factories as dossier_factories

from .catalog_data import build_catalog


@pytest.fixture
def catalog(db):
    build_catalog()


@pytest.fixture
def w(db):
    """A procedure with an inter-agency step, its officers and two citizens."""
    return dossier_factories.world()


@pytest.fixture
def citizen(client, w):
    client.force_login(w.citizen)
    return client
