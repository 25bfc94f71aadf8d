"""The delivery of the outbox as a task: enqueued after each commit that wrote messages, and
again by itself for when the next retry is due, so failures are retried without a scheduler
(`python -m motcua deliver_outbox` from cron does the same run)."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django_tasks import task


def enqueue_once(periodic_task, run_after: datetime) -> bool:
    """Enqueue `periodic_task` to run at `run_after` unless a run is already waiting that
    starts no later; True if one was enqueued."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if isinstance(periodic_task.get_backend(), DatabaseBackend):
        # A task enqueued to run at once carries the far-future date as its `run_after`.
        starts_in_time = Q(run_after=get_date_max()) | Q(run_after__lte=run_after)
        waiting = DBTaskResult.objects.filter(
            starts_in_time, task_path=periodic_task.module_path, status="READY"
        )
        if waiting.exists():
            return False
    if run_after > timezone.now():
        periodic_task.using(run_after=run_after).enqueue()
    else:
        periodic_task.enqueue()
    return True


@task()
def deliver_outbox_task() -> dict:
    from .notifications import deliver_outbox, next_retry_at

    counts = deliver_outbox()
    retry_at = next_retry_at()
    if retry_at is not None:
        enqueue_once(deliver_outbox_task, retry_at)
    return counts
