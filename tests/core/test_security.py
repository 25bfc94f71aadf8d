"""Secure defaults when DEBUG is off, and request logs without personal data."""

import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from motcua.core.logging import JsonFormatter

SRC = Path(__file__).resolve().parents[2] / "src"
ID_NUMBER = "001090012345"


def production_env(tmp_path) -> dict:
    """The environment of a production server: DEBUG and HTTPS_ONLY at their defaults."""
    # Only what a server's environment would have: nothing the test session itself set.
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="dichvucong.example.gov.vn",
        PUBLIC_BASE_URL="https://dichvucong.example.gov.vn",
        MOTCUA_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(SRC),
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    return env


def test_check_deploy_is_clean_with_debug_off(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="dichvucong.example.gov.vn")
plain = client.get("/api/v1/openapi.json")
secure = client.get("/api/v1/openapi.json", secure=True)
health = client.get("/healthz")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "health": health.status_code,
    "headers": dict(secure.headers),
    "settings": {name: getattr(settings, name) for name in [
        "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY", "DEBUG"]},
}))
"""


def test_production_answers_carry_the_security_headers(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://dichvucong.example.gov.vn/api/v1/openapi.json"]
    assert seen["health"] != 301  # load balancers probe over plain HTTP
    assert seen["settings"] == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "DEBUG": False,
    }
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert_strict_csp(headers["Content-Security-Policy"])


def assert_strict_csp(policy: str) -> None:
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.django_db
def test_pages_forbid_inline_scripts_and_styles(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_strict_csp(response["Content-Security-Policy"])
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only(client, django_user_model):
    django_user_model.objects.create_user(
        username="canbo", password="mat-khau-dai-1", is_staff=True
    )
    client.get("/admin/login/")
    assert client.cookies["csrftoken"]["httponly"] is True
    response = client.post("/admin/login/", {"username": "canbo", "password": "mat-khau-dai-1"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"] is True


@pytest.fixture
def request_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("motcua.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_request_log_is_json_without_the_query_string(client, request_log):
    client.get(f"/api/v1/procedures?q=khai+sinh&id_number={ID_NUMBER}")
    client.get(f"/api/v1/procedures/{ID_NUMBER}")
    client.get(f"/khong-co/{ID_NUMBER}?phone=0912345678")
    lines = [json.loads(line) for line in request_log.getvalue().splitlines()]
    assert [line["status"] for line in lines] == [200, 404, 404]
    assert lines[0]["route"] == "api/v1/procedures"
    assert lines[0]["method"] == "GET"
    assert lines[0]["duration_ms"] >= 0
    assert lines[1]["route"] == "api/v1/procedures/<code>"
    output = request_log.getvalue()
    assert ID_NUMBER not in output
    assert "0912345678" not in output
    assert "khai" not in output


def test_error_logs_keep_the_path_but_not_the_query_string():
    request = RequestFactory().get(f"/api/v1/lookup?code=X&id_number={ID_NUMBER}")
    record = logging.makeLogRecord(
        {
            "name": "django.request",
            "msg": "Internal Server Error: %s",
            "args": (request.path,),
            "levelname": "ERROR",
            "request": request,
            "status_code": 500,
        }
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request"] == "GET /api/v1/lookup"
    assert entry["status_code"] == 500
    assert ID_NUMBER not in json.dumps(entry)


@pytest.mark.django_db
def test_request_id_from_the_proxy_is_kept_only_when_it_looks_like_one(client, request_log):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="3f2a9c0e1b")
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID=f"so CCCD {ID_NUMBER}")
    assert kept["X-Request-ID"] == "3f2a9c0e1b"
    assert ID_NUMBER not in replaced["X-Request-ID"]
    assert ID_NUMBER not in request_log.getvalue()
