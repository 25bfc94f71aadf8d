import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.backoffice.second_factor import second_factor_required

# The dossiers tests' world (agencies, procedure with steps, officers, citizens).
from tests.dossiers.conftest import _fresh_calendar_cache, w  # noqa: F401


@pytest.fixture
def as_user(client):
    """The test client signed in as the given account."""

    def sign_in(user):
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return sign_in


def verify_second_factor(client, user):
    """Officers whose roles sign or approve work in sessions that passed the TOTP step."""
    if second_factor_required(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
