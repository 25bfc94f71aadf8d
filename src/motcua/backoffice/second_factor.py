"""Officers' two-factor sign-in (TOTP through django-otp).

After the password, an officer with a confirmed TOTP device — and every officer holding a role
that signs or approves (head, leader) while OFFICER_TWO_FACTOR_REQUIRED is on — is sent to the
code page before any session is opened: `second_factor_challenge` keeps who passed the
password in the session (for a few minutes) and redirects there. An officer who must use a
second factor but has no device yet enrols on that same page (QR code, then a first code).
`officer_required` refuses a session that skipped this (e.g. opened on another sign-in page).
"""

import base64
import time

import segno
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.catalog.models import OfficerRole

PENDING_KEY = "backoffice_second_factor"
PENDING_MAX_AGE_SECONDS = 300
# Roles that sign or approve: they never work on a password alone.
SIGNING_ROLES = {OfficerRole.Role.HEAD, OfficerRole.Role.LEADER}


def second_factor_required(user) -> bool:
    if user_has_device(user, confirmed=True):
        return True
    return settings.OFFICER_TWO_FACTOR_REQUIRED and (
        OfficerRole.objects.filter(user=user, role__in=SIGNING_ROLES).exists()
    )


def session_verified(request) -> bool:
    """False when the signed-in officer needed a second factor this session did not get."""
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return True
    return not second_factor_required(user)


def second_factor_challenge(request, user):
    """A response asking `user` for a second factor, or None to sign in now."""
    if not second_factor_required(user):
        return None
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "at": int(time.time()),
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }
    return redirect("backoffice:second_factor")


def pending_user(request):
    """Who passed the password and still owes a code, or None (none, or too long ago)."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_MAX_AGE_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def device_for(user) -> tuple[TOTPDevice, bool]:
    """The officer's confirmed TOTP device, else the one being enrolled (created); and
    whether it is being enrolled."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        return device, False
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return device, True


def enrolment(device: TOTPDevice) -> dict:
    """What an authenticator app needs: the otpauth QR code and the secret to type."""
    url = device.config_url
    return {
        "qr": segno.make(url, error="m").svg_data_uri(scale=4),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
    }


def verify(request, user, code: str) -> bool:
    """Check `code` against the officer's device (django-otp throttles repeated failures);
    on success confirm an enrolling device and open the verified session."""
    device, enrolling = device_for(user)
    if not device.verify_token("".join(code.split())):
        return False
    if enrolling:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    pending = request.session.pop(PENDING_KEY, None) or {}
    if not request.user.is_authenticated or request.user.pk != user.pk:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session["backoffice_next"] = pending.get("next", "")
    return True


def login_url_for_unverified() -> str:
    return reverse("backoffice:login")
