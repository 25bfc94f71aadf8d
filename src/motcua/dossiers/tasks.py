"""Background work of the dossiers: deadline flags, the sweep of unattached uploads and of
expired drafts, the daily anchor of the history.

django-tasks has no scheduler: each periodic task enqueues its next run when it finishes
(unless one is already waiting), and `python -m motcua schedule_dossier_tasks` starts the
chains once per deployment (also safe to run from cron: it never doubles a chain).
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import drafts, services
from .files import purge_unattached

DEADLINES_EVERY = timedelta(minutes=15)
PURGE_EVERY = timedelta(hours=1)
DRAFTS_EVERY = timedelta(hours=6)
ANCHOR_EVERY = timedelta(days=1)


def _schedule(periodic_task, every: timedelta) -> bool:
    """Enqueue the next run unless one is already waiting; True if one was enqueued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=periodic_task.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    periodic_task.using(run_after=timezone.now() + every).enqueue()
    return True


@task()
def mark_deadlines_task() -> dict:
    counts = services.mark_deadlines()
    _schedule(mark_deadlines_task, DEADLINES_EVERY)
    return counts


@task()
def purge_unattached_files_task() -> int:
    removed = purge_unattached()
    _schedule(purge_unattached_files_task, PURGE_EVERY)
    return removed


@task()
def purge_expired_drafts_task() -> int:
    removed = drafts.purge_expired()
    _schedule(purge_expired_drafts_task, DRAFTS_EVERY)
    return removed


@task()
def anchor_events_task() -> str:
    anchor = services.anchor_day()
    _schedule(anchor_events_task, ANCHOR_EVERY)
    return anchor.digest


def schedule_all() -> list[str]:
    started = []
    for periodic_task, every in (
        (mark_deadlines_task, DEADLINES_EVERY),
        (purge_unattached_files_task, PURGE_EVERY),
        (purge_expired_drafts_task, DRAFTS_EVERY),
        (anchor_events_task, ANCHOR_EVERY),
    ):
        if _schedule(periodic_task, every):
            started.append(periodic_task.name)
    return started
