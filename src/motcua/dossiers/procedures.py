"""The published procedure versions that submissions are checked against, kept per process.

A published version never changes in place (catalog.services: a change makes a new version;
abolishing only changes its status), so its components, fees, steps and compiled e-form
validator are kept by (id, updated_at). Each submission still reads, in one query, the
agency row (office hours, active) joined to the procedure's version published now: a version
superseded or abolished by another process is seen at once. Saving catalog rows in this
process forgets the copies (signals in apps.py), as tests and data fixes write rows directly.
"""

import threading
from datetime import datetime

import jsonschema
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from motcua.catalog.models import Agency, Procedure, Step

MAX_VERSIONS = 512  # procedure versions kept per process (a province publishes ~2,000)

_lock = threading.Lock()
_versions: dict[tuple[int, datetime], Procedure] = {}


def published_for(procedure_code, agency_code) -> tuple[Procedure, Agency] | None:
    """The published version of the procedure and the active agency doing it, or None (the
    caller then finds out which of the two is wrong)."""
    if not isinstance(procedure_code, str) or not isinstance(agency_code, str):
        return None
    # Run by every submission: one plain query costs a fraction of building it with the ORM.
    links = Procedure.agencies.through._meta
    rows = Agency.objects.raw(
        "SELECT a.*, p.id AS version_id, p.updated_at AS version_stamp "
        f"FROM {Agency._meta.db_table} a "
        f"JOIN {links.db_table} l ON l.agency_id = a.id "
        f"JOIN {Procedure._meta.db_table} p ON p.id = l.procedure_id "
        "WHERE a.code = %s AND a.is_active AND p.code = %s AND p.status = %s "
        "ORDER BY a.id LIMIT 1",
        [agency_code, procedure_code, Procedure.Status.PUBLISHED],
    )
    agency = next(iter(rows), None)
    if agency is None:
        return None
    stamp = agency.version_stamp
    if not isinstance(stamp, datetime) or timezone.is_naive(stamp):
        # SQLite gives raw SQL's timestamps back as they are stored: UTC, without the zone.
        stamp = connection.ops.convert_datetimefield_value(stamp, None, connection)
    return version(agency.version_id, stamp), agency


def version(procedure_id: int, stamp: datetime) -> Procedure:
    key = (procedure_id, stamp)
    found = _versions.get(key)
    if found is None:
        found = _load(procedure_id)
        if found.updated_at == stamp:
            with _lock:
                if len(_versions) >= MAX_VERSIONS:
                    _versions.clear()
                _versions[key] = found
    return found


def _load(procedure_id: int) -> Procedure:
    procedure = Procedure.objects.prefetch_related(
        "components",
        "agencies",
        "fees",
        Prefetch("steps", Step.objects.select_related("agency").order_by("order", "id")),
    ).get(pk=procedure_id)
    procedure.form_validator = compile_validator(procedure.form_schema)
    return procedure


def compile_validator(schema):
    """The JSON Schema validator of an e-form (None for a procedure without a form)."""
    if not schema:
        return None
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def first_step(procedure: Procedure) -> Step | None:
    """The procedure's first step (from the kept copy when it has one)."""
    cache = getattr(procedure, "_prefetched_objects_cache", {})
    if "steps" in cache:
        steps = list(cache["steps"])
        return steps[0] if steps else None
    return procedure.steps.select_related("agency").order_by("order", "id").first()


def forget(*args, **kwargs) -> None:
    """Forget every kept version (a catalog row was saved or deleted in this process)."""
    with _lock:
        _versions.clear()
    # Again after commit: a read between the save and the commit may have kept the old rows.
    transaction.on_commit(_clear)


def _clear() -> None:
    with _lock:
        _versions.clear()
