"""Limits against abuse of the feedback form and API (`core.ratelimit`): per client address,
and per contact for the one-time codes. Each over its own window of seconds."""

from motcua.core.ratelimit import check_rate, client_ip

SUBMIT_LIMIT = (10, 3600)
CODE_LIMIT_PER_IP = (5, 600)
CODE_LIMIT_PER_CONTACT = (3, 600)


def check_submission(request) -> None:
    """RateLimited (429 with Retry-After) past the submissions allowed to this client."""
    limit, seconds = SUBMIT_LIMIT
    check_rate(request, "feedback-submit-ip", limit, seconds, key=client_ip(request))


def check_code(request, recipient: str) -> None:
    check_rate(request, "feedback-code-ip", *CODE_LIMIT_PER_IP, key=client_ip(request))
    check_rate(request, "feedback-code-contact", *CODE_LIMIT_PER_CONTACT, key=recipient)
