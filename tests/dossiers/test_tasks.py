import pytest
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import tasks

pytestmark = pytest.mark.django_db


def test_periodic_tasks_are_scheduled_once():
    assert sorted(tasks.schedule_all()) == [
        "anchor_events_task",
        "mark_deadlines_task",
        "purge_expired_drafts_task",
        "purge_unattached_files_task",
    ]
    assert tasks.schedule_all() == []  # a chain is never doubled
    assert DBTaskResult.objects.filter(status="READY").count() == 4


def test_a_run_schedules_the_next_one(w):
    DBTaskResult.objects.all().delete()
    assert tasks.mark_deadlines_task.call() == {"overdue": 0, "due_soon": 0}
    assert tasks.purge_unattached_files_task.call() == 0
    assert tasks.purge_expired_drafts_task.call() == 0
    waiting = DBTaskResult.objects.filter(status="READY").values_list("task_path", flat=True)
    assert sorted(waiting) == [
        "motcua.dossiers.tasks.mark_deadlines_task",
        "motcua.dossiers.tasks.purge_expired_drafts_task",
        "motcua.dossiers.tasks.purge_unattached_files_task",
    ]
