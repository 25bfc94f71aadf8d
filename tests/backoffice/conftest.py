import pytest

# The dossiers tests' world (agencies, procedure with steps, officers, citizens).
from tests.dossiers.conftest import _fresh_calendar_cache, w  # noqa: F401


@pytest.fixture
def as_user(client):
    """The test client signed in as the given account."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
