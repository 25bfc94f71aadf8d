from django.core.management.base import BaseCommand

from motcua.feedback.tasks import schedule_all


class Command(BaseCommand):
    help = "Start the periodic feedback task (deadline marks) if not waiting yet."

    def handle(self, *args, **options):
        started = schedule_all()
        self.stdout.write("Đã lên lịch: " + (", ".join(started) or "không có gì mới") + ".")
