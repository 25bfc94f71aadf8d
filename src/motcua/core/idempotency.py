"""Safe retries of creating requests (docs/api.md: `Idempotency-Key`).

    return idempotent(request, "dossiers", lambda: (201, services.submit(...)))

The first request with a key runs `create` and stores its answer under (user, scope, key)
together with a hash of the request; a repeat with the same key and request gets the stored
answer and creates nothing; the same key with another request is `idempotency_key_reused`.
"""

import contextlib
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from ninja import Status
from ninja.responses import NinjaJSONEncoder

from motcua.core.errors import IdempotencyKeyReused, ValidationFailed
from motcua.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class Answer(Status):
    """ninja's `Status` (a route returns it as it is) that also unpacks as (status, body)."""

    def __iter__(self):
        return iter((self.status_code, self.value))

    def __getitem__(self, index):
        return (self.status_code, self.value)[index]

    def __len__(self) -> int:
        return 2

    def __eq__(self, other) -> bool:
        return isinstance(other, tuple | Status) and tuple(self) == tuple(
            other if isinstance(other, tuple) else (other.status_code, other.value)
        )

    __hash__ = None

    def __repr__(self) -> str:
        return f"Answer({self.status_code}, {self.value!r})"


def idempotent(request, scope: str, create: Callable[[], tuple[int, dict]]) -> Answer:
    raw_key = request.headers.get(HEADER)
    if raw_key is None:
        return Answer(*_unpack(create()))
    key = _valid_key(raw_key)
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    lookup = {"owner": f"u{user.pk}" if user else "anon", "scope": scope, "key": key}
    request_hash = _request_hash(request)

    stored = IdempotencyRecord.objects.filter(**lookup).first()
    if stored is None:
        try:
            with transaction.atomic():
                # The key is claimed before the work is done, in the same transaction: a
                # concurrent duplicate's insert waits on this row (PostgreSQL) or on the
                # write lock (SQLite) until we commit, then fails and replays our answer.
                record = IdempotencyRecord.objects.create(
                    **lookup, user=user, request_hash=request_hash, status=0, body={}
                )
                status, body = _unpack(create())
                # Stored and returned alike, so that a replay is the first answer exactly.
                body = json.loads(json.dumps(body, cls=NinjaJSONEncoder))
                record.status, record.body = status, body
                record.save(update_fields=["status", "body"])
            return Answer(status, body)
        except IntegrityError:
            stored = IdempotencyRecord.objects.filter(**lookup).first()
            if stored is None:  # not our key: an IntegrityError of `create` itself
                raise
    if stored.request_hash != request_hash:
        raise IdempotencyKeyReused()
    return Answer(stored.status, stored.body)


def _unpack(result) -> tuple[int, object]:
    if isinstance(result, Status):
        return result.status_code, result.value
    status, body = result
    return status, body


def _valid_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ValidationFailed(
            fields={
                HEADER: [
                    f"Khóa phải gồm 1 đến {MAX_KEY_LENGTH} ký tự ASCII in được (nên dùng một UUID)."
                ]
            }
        )
    return key


def _request_hash(request) -> str:
    """What the request asks for: method, path and body, read so that an identical retry
    hashes the same (JSON key order and multipart boundaries do not count)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        _hash_form(digest, request)
        return digest.hexdigest()
    try:
        raw = request.body
    except RawPostDataException:  # the form was already parsed from the stream
        _hash_form(digest, request)
        return digest.hexdigest()
    if request.content_type == "application/json":
        with contextlib.suppress(ValueError):  # not JSON after all: hashed as sent
            raw = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    digest.update(raw)
    return digest.hexdigest()


def _hash_form(digest, request) -> None:
    for name in sorted(request.POST):
        digest.update(json.dumps([name, request.POST.getlist(name)]).encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(json.dumps([name, upload.name, upload.size]).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
