"""The API under a fuzzer (schemathesis, from the OpenAPI document the server serves): no
request it can make gets a 500, and every response matches what the document says the
operation answers (status, content type, body). Anonymous, and with a fresh bearer token per
operation (so that fuzzing the token endpoints never spends the token of another operation).

Bounded for the suite (FUZZ_EXAMPLES per operation); bench/bench_fuzz.py runs the long one
and reads FUZZ_REPORT, where each call's operation and status are written.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.core.services import issue_api_token
from tests.accounts.factories import citizen

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
REPORT = os.environ.get("FUZZ_REPORT")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _one_connection_for_the_test():
    """As Django's test client does: the in-process requests must not close the test's
    database connection at their end (its transaction is the test's)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    value, _ = issue_api_token(citizen())
    return value


@schema.parametrize()
@FUZZ
@pytest.mark.django_db
def test_anonymous_requests_are_answered_as_documented(case):
    _call(case, {})


@schema.parametrize()
@FUZZ
def test_a_citizens_requests_are_answered_as_documented(case, token):
    _call(case, {"Authorization": f"Bearer {token}"})


def _call(case, headers: dict) -> None:
    response = case.call(headers=headers)
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as out:
            out.write(f"{case.operation.label}\t{response.status_code}\n")
    case.validate_response(response, checks=CHECKS)
