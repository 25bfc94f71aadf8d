import pytest

# The dossiers tests' world (agencies, procedure with steps, officers, citizens).
from tests.dossiers.conftest import _fresh_calendar_cache, w  # noqa: F401
from tests.dossiers.factories import sign_in


@pytest.fixture
def as_user(client):
    """The test client signed in as the given account."""

    return lambda user: sign_in(client, user)
