from django.core.management.base import BaseCommand

from motcua.dossiers.tasks import schedule_all


class Command(BaseCommand):
    help = "Start the periodic dossier tasks (deadline flags, file sweep) if not waiting yet."

    def handle(self, *args, **options):
        started = schedule_all()
        self.stdout.write("Đã lên lịch: " + (", ".join(started) or "không có gì mới") + ".")
