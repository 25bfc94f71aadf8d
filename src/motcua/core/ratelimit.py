"""Rate limits on Django's cache, shared by every process (settings.CACHES: the database
cache table, or Redis when REDIS_URL is set).

Fixed windows: a client may make `limit` requests in each window of `per_seconds`. Redis
increments atomically; on the database cache two racing requests may both read the same
count, so a burst can exceed the limit by the number of requests in flight.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from motcua.core.errors import RateLimited

_clock = time.time  # replaced in tests, to keep a test inside one window


def client_ip(request) -> str:
    """The client's address. Behind `TRUSTED_PROXIES` reverse proxies, the address the
    outermost trusted proxy saw (the proxies append to X-Forwarded-For)."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_identity(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip{client_ip(request)}"


def check_rate(
    request, scope: str, limit: int, per_seconds: int, *, key: str | None = None
) -> None:
    """Count one request of this client in `scope`; raise `RateLimited` (429) past `limit`
    in the current window. The client is the signed-in user, else the IP address; `key`
    counts something else instead (e.g. the username being tried at login)."""
    identity = client_identity(request) if key is None else f"k{key}"
    now = int(_clock())
    window = now // per_seconds
    remaining = (window + 1) * per_seconds - now
    # Hashed: the cache key must not carry personal data (usernames are ID numbers).
    digest = hashlib.sha256(f"{scope}|{identity}".encode()).hexdigest()[:32]
    cache_key = f"rl:{digest}:{per_seconds}:{window}"
    cache = caches["default"]
    if cache.add(cache_key, 1, timeout=remaining + 1):
        count = 1
    elif isinstance(cache, RedisCache):
        count = cache.incr(cache_key)  # atomic, keeps the key's expiry
    else:
        # The database cache's incr() would reset the expiry to the default timeout.
        count = (cache.get(cache_key) or 0) + 1
        cache.set(cache_key, count, timeout=remaining + 1)
    if count > limit:
        raise RateLimited(retry_after=remaining)
