import pytest

from . import factories


@pytest.fixture(autouse=True)
def _payment_settings(settings):
    settings.PAYMENT_WEBHOOK_SECRET = factories.SECRET
    settings.PAYMENT_GATEWAYS = ["bank_transfer", "demo"]


@pytest.fixture
def w(db):
    return factories.world()
