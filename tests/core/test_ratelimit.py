import pytest
from django.core.cache.backends.db import DatabaseCache
from django.test import RequestFactory

from motcua.core import ratelimit
from motcua.core.errors import RateLimited
from motcua.core.models import User
from motcua.core.ratelimit import check_rate, client_ip

pytestmark = pytest.mark.django_db


def anonymous(ip="198.51.100.7", **headers):
    request = RequestFactory().get("/", REMOTE_ADDR=ip, **headers)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    return request


def test_over_the_limit_is_rate_limited_until_the_window_ends(monkeypatch):
    monkeypatch.setattr(ratelimit, "_clock", lambda: 1_800_000_045.0)
    for _ in range(3):
        check_rate(anonymous(), "lookup", 3, 60)
    with pytest.raises(RateLimited) as raised:
        check_rate(anonymous(), "lookup", 3, 60)
    assert raised.value.status == 429
    assert raised.value.code == "rate_limited"
    assert raised.value.retry_after == 15
    monkeypatch.setattr(ratelimit, "_clock", lambda: 1_800_000_060.0)
    check_rate(anonymous(), "lookup", 3, 60)  # a new window


def test_clients_and_scopes_are_counted_apart():
    check_rate(anonymous(), "lookup", 1, 60)
    check_rate(anonymous(ip="198.51.100.8"), "lookup", 1, 60)
    check_rate(anonymous(), "feedback", 1, 60)
    with pytest.raises(RateLimited):
        check_rate(anonymous(), "lookup", 1, 60)


def test_signed_in_user_is_counted_by_account_not_address():
    user = User.objects.create_user(username="001090012345", password="x")
    first = anonymous(ip="198.51.100.1")
    first.user = user
    second = anonymous(ip="198.51.100.2")
    second.user = user
    check_rate(first, "files", 1, 60)
    with pytest.raises(RateLimited):
        check_rate(second, "files", 1, 60)
    check_rate(anonymous(ip="198.51.100.1"), "files", 1, 60)


def test_counters_are_shared_through_the_database_cache():
    """Another process has its own cache object; it must see the same count."""
    check_rate(anonymous(), "lookup", 5, 60)
    check_rate(anonymous(), "lookup", 5, 60)
    other_process = DatabaseCache("motcua_cache", {})
    [key] = [k for k in _keys(other_process) if k.startswith(":1:rl:")]
    assert other_process.get(key.removeprefix(":1:")) == 2


def _keys(cache):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {cache._table}")
        return [row[0] for row in cursor.fetchall()]


def test_cache_keys_carry_no_personal_data():
    check_rate(anonymous(), "auth-token-user", 5, 60, key="001090012345")
    assert not any(
        "001090012345" in key or "198.51.100.7" in key
        for key in _keys(DatabaseCache("motcua_cache", {}))
    )


def test_forwarded_address_is_trusted_only_behind_configured_proxies(settings):
    request = anonymous(ip="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.5"  # what our proxy saw; 10.9.9.9 is the client's claim
    settings.TRUSTED_PROXIES = 3
    assert client_ip(request) == "127.0.0.1"  # fewer hops than proxies: not trusted
