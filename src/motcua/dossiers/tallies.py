"""Kept tallies of how many dossiers each agency received, by status (`DossierCount`), for
inbox totals that cost the same at 100 or 100,000 dossiers.

Database triggers on the dossier table keep the counts in the transaction of every insert,
change of status or agency, and delete, whoever writes (the services, bulk loads, data
fixes), so they cannot drift from the rows. On PostgreSQL the triggers are deferred to commit:
an agency's count row is where all its submissions meet, and it is locked only while the
transaction commits, not for the whole submission (SQLite serialises writers anyway).
"""

from django.db import connection, transaction
from django.db.models import Count, Sum

from .models import Dossier, DossierCount, Status

TABLE = "dossiers_dossiercount"
DOSSIERS = "dossiers_dossier"
TRIGGERS = ("dossiers_count_insert", "dossiers_count_update", "dossiers_count_delete")

_POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION dossiers_count_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {TABLE} AS c (agency_id, status, count) VALUES (NEW.agency_id, NEW.status, 1)
        ON CONFLICT (agency_id, status) DO UPDATE SET count = c.count + 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {TABLE} AS c (agency_id, status, count) VALUES (OLD.agency_id, OLD.status, -1)
        ON CONFLICT (agency_id, status) DO UPDATE SET count = c.count - 1;
    ELSE
        -- Both rows in one statement, in key order: two transactions moving dossiers between
        -- the same two statuses in opposite directions lock them in the same order.
        INSERT INTO {TABLE} AS c (agency_id, status, count)
        SELECT agency_id, status, delta
        FROM (VALUES (OLD.agency_id, OLD.status, -1), (NEW.agency_id, NEW.status, 1))
            AS v (agency_id, status, delta)
        ORDER BY agency_id, status
        ON CONFLICT (agency_id, status) DO UPDATE SET count = c.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
_CHANGED = "OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.status IS DISTINCT FROM NEW.status"
_POSTGRES_TRIGGERS = [
    f"CREATE CONSTRAINT TRIGGER dossiers_count_insert AFTER INSERT ON {DOSSIERS} "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dossiers_count_change()",
    f"CREATE CONSTRAINT TRIGGER dossiers_count_update AFTER UPDATE OF agency_id, status "
    f"ON {DOSSIERS} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({_CHANGED}) "
    "EXECUTE FUNCTION dossiers_count_change()",
    f"CREATE CONSTRAINT TRIGGER dossiers_count_delete AFTER DELETE ON {DOSSIERS} "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dossiers_count_change()",
]


def _sqlite_upsert(row: str, delta: int) -> str:
    return (
        f"INSERT INTO {TABLE} (agency_id, status, count) "
        f"VALUES ({row}.agency_id, {row}.status, {delta}) "
        f"ON CONFLICT (agency_id, status) DO UPDATE SET count = count + {delta};"
    )


_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER dossiers_count_insert AFTER INSERT ON {DOSSIERS} "
    f"BEGIN {_sqlite_upsert('NEW', 1)} END",
    f"CREATE TRIGGER dossiers_count_update AFTER UPDATE OF agency_id, status ON {DOSSIERS} "
    f"WHEN OLD.agency_id IS NOT NEW.agency_id OR OLD.status IS NOT NEW.status "
    f"BEGIN {_sqlite_upsert('OLD', -1)} {_sqlite_upsert('NEW', 1)} END",
    f"CREATE TRIGGER dossiers_count_delete AFTER DELETE ON {DOSSIERS} "
    f"BEGIN {_sqlite_upsert('OLD', -1)} END",
]
_RECOUNT = (
    f"INSERT INTO {TABLE} (agency_id, status, count) "
    f"SELECT agency_id, status, COUNT(*) FROM {DOSSIERS} GROUP BY agency_id, status"
)


def install_triggers(schema_editor) -> None:
    """Create the triggers and count the rows already there (migration)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [_POSTGRES_FUNCTION, *_POSTGRES_TRIGGERS]
    elif vendor == "sqlite":
        statements = list(_SQLITE_TRIGGERS)
    else:
        raise NotImplementedError(f"dossier counts: no triggers for {vendor}")
    for statement in [*statements, f"DELETE FROM {TABLE}", _RECOUNT]:
        schema_editor.execute(statement)


def reinstall_triggers(schema_editor) -> None:
    """For a migration that changes the dossier table: SQLite rebuilds the table for most
    changes (AddField, AlterField …) and drops its triggers with it, so such a migration ends
    with this (harmless on PostgreSQL, where it recounts)."""
    remove_triggers(schema_editor)
    install_triggers(schema_editor)


def remove_triggers(schema_editor) -> None:
    for name in TRIGGERS:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {DOSSIERS}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS dossiers_count_change()")


def _own_changes_counted() -> None:
    """Inside a transaction that may have changed dossiers, apply its deferred count changes
    first, so that it reads its own writes (PostgreSQL; outside a transaction nothing waits)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {', '.join(TRIGGERS)} IMMEDIATE")


def received_total(agency_ids, status: str | None = None) -> int:
    """Dossiers (drafts aside) the agencies received, in `status` if given: one small read
    whatever the number of dossiers."""
    if not agency_ids or status == Status.DRAFT:
        return 0
    _own_changes_counted()
    rows = DossierCount.objects.filter(agency_id__in=agency_ids).exclude(status=Status.DRAFT)
    if status:
        rows = rows.filter(status=status)
    return rows.aggregate(total=Sum("count"))["total"] or 0


def recount() -> dict[tuple[int, str], int]:
    """Count the dossier rows again (what the triggers keep): {(agency id, status): count}."""
    rows = Dossier.objects.values_list("agency_id", "status").annotate(n=Count("pk")).order_by()
    return {(agency, status): n for agency, status, n in rows}


def kept() -> dict[tuple[int, str], int]:
    """The counts as kept, rows of zero left out."""
    _own_changes_counted()
    return {
        (agency, status): count
        for agency, status, count in DossierCount.objects.values_list(
            "agency_id", "status", "count"
        )
        if count
    }


def rebuild() -> tuple[int, int]:
    """Replace the kept counts with a recount, writers held off meanwhile. Returns (rows of
    counts differing before, dossiers counted)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Readers go on; writers wait until the recount commits.
                cursor.execute(f"LOCK TABLE {DOSSIERS} IN SHARE MODE")
        before, after = kept(), recount()
        differing = len(
            {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        )
        DossierCount.objects.all().delete()
        DossierCount.objects.bulk_create(
            DossierCount(agency_id=agency, status=status, count=count)
            for (agency, status), count in after.items()
        )
    return differing, sum(after.values())
