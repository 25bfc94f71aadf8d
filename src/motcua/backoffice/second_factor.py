"""The hook for officers' two-factor sign-in.

The back office signs officers in with Django's authentication; when two-factor sign-in
(TOTP through django-otp) is switched on for officers, `second_factor_challenge` returns
the response that asks for the one-time code (and signs the officer in only after it).
Until then it lets the password sign-in through.
"""


def second_factor_challenge(request, user):
    """A response asking `user` for a second factor, or None to sign in now."""
    return None
