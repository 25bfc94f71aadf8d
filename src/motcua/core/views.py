from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

# Reading the migration graph takes a few hundred milliseconds; once every migration of this
# code is applied it stays so for the life of the process, so it is checked until then only.
_migrations_applied = False


def pending_migrations(connection) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@never_cache
def healthz(request):
    """Ready when the database answers and every migration is applied."""
    global _migrations_applied
    checks = {}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        pending = 0 if _migrations_applied else pending_migrations(connection)
        _migrations_applied = pending == 0
        checks["migrations"] = "ok" if not pending else f"{pending} pending"
    except Exception as exc:  # the health check reports, it never raises
        checks.setdefault("database", f"error: {exc.__class__.__name__}")
        checks.setdefault("migrations", "unknown")
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
