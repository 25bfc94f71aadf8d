"""Background work of feedback: the deadline marks, every 15 minutes, chained like the
dossiers' periodic tasks (`dossiers/tasks.py`, whose `_schedule` it uses)."""

from datetime import timedelta

from django_tasks import task

from motcua.dossiers.tasks import _schedule

from . import services

DEADLINES_EVERY = timedelta(minutes=15)


@task()
def mark_feedback_deadlines_task() -> dict:
    counts = services.mark_deadlines()
    _schedule(mark_feedback_deadlines_task, DEADLINES_EVERY)
    return counts


def schedule_all() -> list[str]:
    return (
        [mark_feedback_deadlines_task.name]
        if _schedule(mark_feedback_deadlines_task, DEADLINES_EVERY)
        else []
    )
