import pytest

from tests.dossiers import factories
from tests.dossiers.conftest import _fresh_calendar_cache  # noqa: F401 (autouse)


@pytest.fixture
def w(db):
    world = factories.world()
    world.citizen.email = "an.nguyen@example.vn"
    world.citizen.save(update_fields=["email"])
    return world
