from django.core.management.base import BaseCommand

from motcua.dossiers.services import mark_deadlines


class Command(BaseCommand):
    help = "Flag running dossiers that became overdue or are due within one working day."

    def handle(self, *args, **options):
        counts = mark_deadlines()
        self.stdout.write(
            f"Quá hạn mới: {counts['overdue']}; sắp đến hạn (trong 1 ngày làm việc): "
            f"{counts['due_soon']}."
        )
