"""django-axes hooks: the answer to a sign-in refused after too many failures, and the
requests it leaves alone."""

import ipaddress

from axes.helpers import get_cool_off
from django.shortcuts import render
from django.utils import timezone

from motcua.core import ratelimit


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    minutes = max(1, -(-seconds // 60))
    response = render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "retry_at": timezone.now() + cool_off if cool_off else None},
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def exempt(request, credentials=None) -> bool:
    """The API token endpoint throttles by its own rules (per address and per username,
    answering 429 in the API's error format: api/auth_api.py), so axes leaves it alone."""
    return request is not None and request.path.startswith("/api/")


def client_ip(request) -> str | None:
    """The client address as the rate limits see it (behind TRUSTED_PROXIES), or None when
    there is no valid one (axes stores it in an address column)."""
    address = ratelimit.client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
