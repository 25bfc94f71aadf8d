"""Whose identity was verified when a dossier was submitted (indicator 5.6: "dossiers whose
applicant data came from the population registry, or whose applicant logged in with a
verified national identity").

Recorded once, at submission, in `Dossier.identity_check`:

- online, on the applicant's own account (portal, API, mobile, post): `national_id` when the
  account has signed in through the national identity provider (OpenID Connect, VNeID-style;
  `accounts.Verification.identity_verified_at`). The account, not the session: an API or
  mobile submission has no browser session, and the identity bound to the account stays
  proven when the citizen later signs in with their password;
- assisted (a helper submits for a citizen, dossiers/assisted.py): the citizen did not sign
  in, and consent (a signed paper, in person, a code sent to their phone) proves consent,
  not identity; the helper's own identity is not the applicant's. `registry` when the
  population registry answered for the citizen's ID number, because the applicant is then
  named from it (`Assistance.applicant_data`): the applicant's data came from the registry;
- at the counter: nothing. The officer types the applicant from the papers shown; looking
  at a card is neither registry data nor a national-identity sign-in, and a box the officer
  ticks would let an agency raise its own score unchecked. A counter dossier counts through
  its form answers checked against the registry (`Dossier.from_registry`).

`dossiers.queries.used_population_data` counts the dossiers for 5.6.
"""

from motcua.accounts.queries import has_verified_identity

from .models import IdentityCheck


def identity_check(submitter, assistance=None, *, dossier=None) -> str:
    """The `Dossier.identity_check` of a dossier being submitted by `submitter`.

    `assistance`: the checked assisted submission, if it is one. `dossier`: the draft being
    submitted (an assisted draft keeps what the registry said when it was started)."""
    if assistance is not None:
        return IdentityCheck.REGISTRY if assistance.resident is not None else IdentityCheck.NONE
    if dossier is not None and dossier.helper_user_id is not None:
        return dossier.identity_check
    return IdentityCheck.NATIONAL_ID if has_verified_identity(submitter) else IdentityCheck.NONE
