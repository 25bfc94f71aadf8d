"""Reads about accounts that other parts of the platform need."""

from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone

from motcua.core import ids

from .models import CHANGE_PURPOSES, OneTimeCode, Organisation, Representation, Verification

_VERIFICATION_CACHE = "_motcua_verification"


def organisations_of(user) -> QuerySet[Organisation]:
    """The organisations `user` represents (declared or verified), by name."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(representations__user=user).order_by("name")


def representations_of(user) -> QuerySet[Representation]:
    return Representation.objects.filter(user=user).select_related("organisation")


def is_confirmed(user) -> bool:
    """May this account submit dossiers? An account opened online must first confirm its
    phone or e-mail by one-time code, or have signed in through the national identity
    provider. Accounts opened by staff (officers, the counter, the demo) have no
    `Verification` row: they were checked in person."""
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, _READ_WITH_USER, False):
        found = getattr(user, _VERIFICATION_CACHE)
    else:
        found = _proved(Verification.objects.filter(user=user).first())
        # Kept for `has_verified_identity` in the same submission: no second read.
        setattr(user, _VERIFICATION_CACHE, found)
    if not found:  # no Verification row
        return True
    if found.identity:
        return True
    phone, email = ids.normalise_phone(user.phone), (user.email or "").strip().lower()
    return bool((phone and phone == found.phone) or (email and email == found.email))


class _Proved(NamedTuple):
    """What a `Verification` row says, as `is_confirmed` and `has_verified_identity` need it."""

    identity: bool
    phone: str
    email: str


_NONE = ()  # read: the account has no Verification row
_READ_WITH_USER = "_motcua_verification_read_with_user"


def _proved(verification: Verification | None) -> _Proved | tuple:
    if verification is None:
        return _NONE
    return _Proved(
        verification.identity_verified_at is not None,
        verification.confirmed_phone,
        verification.confirmed_email,
    )


def verification_sql(user_id: str) -> dict[str, str]:
    """SQL read with the user (API token): their `Verification`, for `remember_verification`."""
    table = Verification._meta.db_table

    def column(expression: str) -> str:
        return f"(SELECT {expression} FROM {table} v WHERE v.user_id = {user_id})"

    return {
        "verification_found": f"EXISTS (SELECT 1 FROM {table} v WHERE v.user_id = {user_id})",
        "verification_identity": column("v.identity_verified_at IS NOT NULL"),
        "verification_phone": column("v.confirmed_phone"),
        "verification_email": column("v.confirmed_email"),
    }


def remember_verification(user) -> None:
    """Keep on this user object what `verification_sql` read, so that `is_confirmed` does not
    ask again in the same request."""
    found = _NONE
    if user.verification_found:
        found = _Proved(
            bool(user.verification_identity), user.verification_phone, user.verification_email
        )
    setattr(user, _VERIFICATION_CACHE, found)
    setattr(user, _READ_WITH_USER, True)


def has_verified_identity(user) -> bool:
    """Signed in (at least once) through the national identity provider (indicator 5.6).
    Uses the row `is_confirmed` just read for this user object, if any (a verified identity
    is never taken back, so that row cannot say "verified" wrongly)."""
    if user is None or not user.is_authenticated:
        return False
    if hasattr(user, _VERIFICATION_CACHE):
        found = getattr(user, _VERIFICATION_CACHE)
        return bool(found) and found.identity
    return Verification.objects.filter(user=user, identity_verified_at__isnull=False).exists()


def session_identity_verified(request) -> bool:
    """This session was opened through the national identity provider (for a dossier
    submitted in it to count toward indicator 5.6)."""
    from .oidc import VERIFIED_SESSION_KEY

    return bool(request.user.is_authenticated and request.session.get(VERIFIED_SESSION_KEY))


def pending_contact_changes(user) -> dict[str, str]:
    """The new contacts waiting for their code ({channel: new contact}), phone first."""
    rows = OneTimeCode.objects.filter(
        user=user,
        purpose__in=CHANGE_PURPOSES.values(),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")
    pending = {}
    for row in rows:
        pending.setdefault(row.channel, row.recipient)
    return {channel: pending[channel] for channel in CHANGE_PURPOSES if channel in pending}


def contacts_with_status(user) -> list[dict]:
    """The account's phone and e-mail as the account page shows them: the value (empty when
    none) and whether it was confirmed (accounts opened by staff were checked in person)."""
    verification = Verification.objects.filter(user=user).first()
    phone, email = ids.normalise_phone(user.phone), (user.email or "").strip().lower()
    confirmed = (
        {phone, email}
        if verification is None
        else {verification.confirmed_phone, verification.confirmed_email}
    )
    return [
        {"channel": channel, "value": value, "confirmed": bool(value) and value in confirmed}
        for channel, value in ((OneTimeCode.Channel.SMS, phone), (OneTimeCode.Channel.EMAIL, email))
    ]
