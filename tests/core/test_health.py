import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from motcua.core import views


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)


@pytest.mark.django_db
def test_healthz_reports_database_and_migrations(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_pending_migrations_make_it_unready(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    real_plan = MigrationExecutor.migration_plan

    def plan_with_core_unapplied(self, targets, clean_start=False):
        # What the executor would plan if the latest core migration had not run.
        latest = next(node for node in self.loader.graph.leaf_nodes() if node[0] == "core")
        self.loader.applied_migrations.pop(latest)
        return real_plan(self, targets, clean_start)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_with_core_unapplied)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "ok", "migrations": "1 pending"},
    }


@pytest.mark.django_db
def test_unreachable_database_makes_it_unready(client, monkeypatch):
    def refuse(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "error: OperationalError",
        "migrations": "unknown",
    }


@pytest.mark.django_db
def test_unknown_api_route_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
