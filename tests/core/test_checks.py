"""Start-up checks and defaults that an operator would otherwise find out too late."""

import os
import subprocess
import sys

from django.core import checks


def test_an_unset_public_base_url_is_reported_at_start_up(settings):
    settings.PUBLIC_BASE_URL = ""
    assert "motcua.W001" in {message.id for message in checks.run_checks()}
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.gov.vn"
    assert "motcua.W001" not in {message.id for message in checks.run_checks()}


def test_debug_does_not_enable_the_demo_payment_gateway():
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    env.pop("PAYMENT_GATEWAYS", None)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.PAYMENT_GATEWAYS)",
        ],
        env={**env, "PYTHONPATH": "src"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "['bank_transfer']"
