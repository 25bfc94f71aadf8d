import json
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from ninja import Status

from motcua.core.errors import DomainError, IdempotencyKeyReused, ValidationFailed
from motcua.core.idempotency import idempotent
from motcua.core.models import ApiToken, IdempotencyRecord, User
from motcua.core.services import issue_api_token, purge_expired

KEY = "5f0c2a52-6a53-4f7e-9a55-0e6f7c1f2b11"


def post(body: dict | str, key: str | None = KEY, user=None, path="/api/v1/dossiers"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    data = body if isinstance(body, str) else json.dumps(body)
    request = RequestFactory().post(path, data, content_type="application/json", **headers)
    request.user = user or type("Anonymous", (), {"is_authenticated": False})()
    return request


class Creator:
    """A `create` that really creates a row, and counts its calls."""

    def __init__(self, status=201):
        self.calls = 0
        self.status = status

    def __call__(self):
        self.calls += 1
        user = User.objects.create_user(username=f"created-{User.objects.count()}")
        return self.status, {"id": user.pk, "at": timezone.now()}


@pytest.mark.django_db
def test_repeat_returns_the_first_answer_and_creates_nothing_twice():
    create = Creator()
    first = idempotent(post({"procedure": "1.001193"}), "dossiers", create)
    again = idempotent(post({"procedure": "1.001193"}), "dossiers", create)
    assert create.calls == 1
    assert User.objects.count() == 1
    assert again == first
    status, body = again
    assert status == 201
    assert body["id"] == User.objects.get().pk
    assert isinstance(again, Status)  # a route returns it as it is
    assert isinstance(body["at"], str)  # JSON already: the replay is byte for byte the same


@pytest.mark.django_db
def test_without_a_key_every_call_creates():
    create = Creator()
    idempotent(post({"a": 1}, key=None), "dossiers", create)
    idempotent(post({"a": 1}, key=None), "dossiers", create)
    assert create.calls == 2
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused():
    create = Creator()
    idempotent(post({"procedure": "1.001193"}), "dossiers", create)
    with pytest.raises(IdempotencyKeyReused) as raised:
        idempotent(post({"procedure": "2.000001"}), "dossiers", create)
    assert (raised.value.status, raised.value.code) == (422, "idempotency_key_reused")
    with pytest.raises(IdempotencyKeyReused):
        idempotent(post({"procedure": "1.001193"}, path="/api/v1/other"), "dossiers", create)
    assert create.calls == 1


@pytest.mark.django_db
def test_json_key_order_and_spacing_do_not_matter():
    create = Creator()
    idempotent(post('{"a": 1, "b": [1, 2]}'), "dossiers", create)
    idempotent(post('{"b":[1,2],"a":1}'), "dossiers", create)
    assert create.calls == 1


@pytest.mark.django_db
def test_keys_belong_to_a_user_and_a_scope():
    create = Creator()
    alice = User.objects.create_user(username="001090000001")
    bob = User.objects.create_user(username="001090000002")
    idempotent(post({"a": 1}, user=alice), "dossiers", create)
    idempotent(post({"a": 1}, user=bob), "dossiers", create)
    idempotent(post({"a": 1}, user=alice), "feedback", create)
    idempotent(post({"a": 1}), "dossiers", create)  # anonymous
    assert create.calls == 4
    idempotent(post({"a": 1}, user=alice), "dossiers", create)
    assert create.calls == 4


@pytest.mark.django_db
def test_a_failed_attempt_stores_nothing_and_may_be_retried():
    def refuse():
        User.objects.create_user(username="half-done")
        raise DomainError("Không hợp lệ.", code="validation_error")

    with pytest.raises(DomainError):
        idempotent(post({"a": 1}), "dossiers", refuse)
    assert not IdempotencyRecord.objects.exists()
    assert not User.objects.exists()  # rolled back with the claim on the key
    create = Creator()
    assert idempotent(post({"a": 1}), "dossiers", create)[0] == 201


@pytest.mark.django_db
def test_create_may_return_a_ninja_status():
    answer = idempotent(post({"a": 1}), "files", lambda: Status(202, {"ok": True}))
    assert tuple(answer) == (202, {"ok": True})
    assert idempotent(post({"a": 1}), "files", lambda: 1 / 0) == (202, {"ok": True})


@pytest.mark.parametrize("key", ["", "x" * 256, "khóa-có-dấu", "tab\there"])
@pytest.mark.django_db
def test_malformed_key_is_a_validation_error(key):
    with pytest.raises(ValidationFailed) as raised:
        idempotent(post({"a": 1}, key=key), "dossiers", Creator())
    assert "Idempotency-Key" in raised.value.fields


@pytest.mark.django_db
def test_multipart_retry_with_a_new_boundary_is_the_same_request():
    create = Creator()

    def upload(content=b"%PDF-1.7 test"):
        request = RequestFactory().post(
            "/api/v1/files",
            {"file": SimpleUploadedFile("don.pdf", content), "kind": "cccd"},
            HTTP_IDEMPOTENCY_KEY=KEY,
        )
        request.user = type("Anonymous", (), {"is_authenticated": False})()
        request.FILES  # parsed, as a route would  # noqa: B018
        return request

    idempotent(upload(), "files", create)
    idempotent(upload(), "files", create)
    assert create.calls == 1
    with pytest.raises(IdempotencyKeyReused):
        idempotent(upload(b"%PDF-1.7 other"), "files", create)


@pytest.mark.skipif(
    # Production SQLite is a file, where BEGIN IMMEDIATE waits for the writer.
    connection.vendor == "sqlite" and not connection.settings_dict.get("TEST", {}).get("NAME"),
    reason="SQLite's in-memory test database fails at once on a lock, it never waits",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_once_and_get_the_same_answer():
    create = Creator()
    started = threading.Barrier(2)
    answers, errors = [], []

    def slow_create():
        result = create()
        threading.Event().wait(0.3)  # the duplicate arrives while we work
        return result

    def call():
        try:
            started.wait()
            answers.append(tuple(idempotent(post({"a": 1}), "dossiers", slow_create)))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert create.calls == 1
    assert answers[0] == answers[1]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_purge_deletes_old_records_and_expired_tokens(settings):
    settings.IDEMPOTENCY_KEEP_HOURS = 48
    idempotent(post({"a": 1}), "dossiers", Creator())
    idempotent(post({"a": 2}, key="second"), "dossiers", Creator())
    IdempotencyRecord.objects.filter(key=KEY).update(
        created_at=timezone.now() - timedelta(hours=49)
    )
    user = User.objects.create_user(username="001090000003")
    issue_api_token(user)
    _, expired = issue_api_token(user)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    assert purge_expired() == {"api_tokens": 1, "idempotency_records": 1}
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["second"]
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_purge_command_prints_what_it_deleted(capsys):
    call_command("purge_expired")
    assert json.loads(capsys.readouterr().out) == {"api_tokens": 0, "idempotency_records": 0}
