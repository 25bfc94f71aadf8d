"""Every 4xx of the API answers `{"error": {"code", "message"}}`, whatever went wrong, and the
OpenAPI document lists the error statuses each operation may answer."""

import pytest
from django.test import Client, override_settings

from motcua.api.api import api
from motcua.core.api.middleware import MAX_URL_LENGTH
from motcua.core.api.pagination import MAX_PAGE, MAX_PAGE_SIZE
from motcua.core.models import User
from motcua.core.services import issue_api_token

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def post_raw(client: Client, url: str, body: bytes):
    return client.generic("POST", url, body, content_type="application/json")


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[" * 10_000 + b"]" * 10_000,
        b'{"username": "\xff\xfe", "password": "x"}',
    ],
    ids=["unparsable", "nested-10000-deep", "invalid-utf8"],
)
def test_an_unreadable_body_is_a_bad_request_in_the_error_shape(client, body):
    error = error_of(post_raw(client, TOKEN_URL, body), 400, "bad_request")
    assert "JSON" in error["message"]


def test_an_unreadable_body_speaks_english_with_the_english_locale(client):
    response = client.generic(
        "POST", TOKEN_URL, b"{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "could not be read" in error_of(response, 400, "bad_request")["message"]


def test_an_over_long_url_is_414_in_the_error_shape(client):
    response = client.get("/api/v1/agencies", {"q": "a" * (MAX_URL_LENGTH + 1)})
    error_of(response, 414, "uri_too_long")


def test_a_url_just_within_the_bound_is_served(client):
    path = "/api/v1/agencies"
    response = client.get(path + "?level=" + "a" * (MAX_URL_LENGTH - len(path) - len("level=")))
    error_of(response, 422, "validation_error")


def test_a_url_no_route_has_is_404_in_the_error_shape(client):
    error_of(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_a_method_a_route_does_not_take_is_405_in_the_error_shape(client):
    response = client.delete("/api/v1/agencies")
    error_of(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_server_limit_is_413_in_the_error_shape(client):
    body = b'{"username": "' + b"a" * 2000 + b'", "password": "x"}'
    error_of(post_raw(client, TOKEN_URL, body), 413, "payload_too_large")


def test_pages_outside_their_bounds_are_refused_in_the_error_shape(client):
    for query in (
        {"page": "18446744073709551617"},
        {"page": str(MAX_PAGE + 1)},
        {"page": "0"},
        {"page_size": str(MAX_PAGE_SIZE + 1)},
        {"page": "5255906820616712192", "page_size": "51"},
    ):
        for path in ("/api/v1/agencies", "/api/v1/procedures"):
            error = error_of(client.get(path, query), 422, "validation_error")
            assert set(error["fields"]) <= {"page", "page_size"}, (path, query, error)


def test_the_last_allowed_page_is_an_empty_page(client):
    response = client.get("/api/v1/agencies", {"page": str(MAX_PAGE), "page_size": "100"})
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["page"] == MAX_PAGE


def test_the_openapi_document_bounds_the_pages_and_lists_the_error_statuses():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    agencies = schema["paths"]["/api/v1/agencies"]["get"]
    page = next(p for p in agencies["parameters"] if p["name"] == "page")
    assert (page["schema"]["minimum"], page["schema"]["maximum"]) == (1, MAX_PAGE)
    size = next(p for p in agencies["parameters"] if p["name"] == "page_size")
    assert size["schema"]["maximum"] == MAX_PAGE_SIZE
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert "414" in statuses, (path, method)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= statuses, (path, method)
            if operation.get("security"):
                assert "401" in statuses, (path, method)
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                assert "404" in statuses, (path, method)
            for status in statuses - {"200", "201", "204"}:
                shape = operation["responses"][status]["content"]["application/json"]["schema"]
                error = schema["components"]["schemas"][shape["$ref"].rsplit("/", 1)[1]]
                assert error["required"] == ["error"], (path, status)


def test_a_huge_page_of_ones_own_dossiers_is_refused(client):
    user = User.objects.create_user(username="001090012345", password="mat-khau-dai-1")
    token, _ = issue_api_token(user)
    response = client.get(
        "/api/v1/dossiers",
        {"page": "9223372036854775808"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert "page" in error_of(response, 422, "validation_error")["fields"]


def test_an_unknown_agency_for_a_due_time_is_a_documented_404(client):
    error_of(client.get("/api/v1/workdays/due", {"agency": "000.00.99.H99"}), 404, "not_found")
    operation = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]["/api/v1/workdays/due"]
    assert "404" in operation["get"]["responses"]


# ---------------------------------------------------------------- the NUL character


def bearer_client() -> Client:
    token, _ = issue_api_token(User.objects.create_user(username="nul", full_name="Ai Đó"))
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(
    "url", ["/api/v1/agencies?q=a%00b", "/api/v1/procedures?sector=%00", "/api/v1/dossiers?q=%00"]
)
def test_a_nul_character_in_the_query_is_a_422_naming_the_parameter(url):
    # PostgreSQL cannot compare text holding NUL: this was a 500 there.
    error = error_of(bearer_client().get(url), 422, "validation_error")
    assert list(error["fields"]) == [url.split("?")[1].split("=")[0]]


@pytest.mark.parametrize("body", [b'{"username": "a\\u0000b", "password": "x"}', b'{"a": "\x00"}'])
def test_a_nul_character_in_a_json_body_is_a_422(body):
    error_of(post_raw(Client(), TOKEN_URL, body), 422, "validation_error")


def test_an_escaped_backslash_before_u0000_is_no_nul():
    response = post_raw(Client(), TOKEN_URL, b'{"username": "a\\\\u0000", "password": "x"}')
    assert response.status_code == 401  # read, and refused as bad credentials


def test_a_nul_character_in_a_form_field_or_a_path_is_refused():
    client = bearer_client()
    error_of(
        client.post("/api/v1/payments/reconciliation", {"agency\x00": "x"}), 422, "validation_error"
    )
    error_of(client.get("/api/v1/dossiers/abc%00def"), 404, "not_found")
