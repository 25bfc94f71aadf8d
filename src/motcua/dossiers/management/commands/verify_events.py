from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.models import Event
from motcua.dossiers.services import verify_chain


class Command(BaseCommand):
    help = "Check every dossier's hash-chained history and name the first broken link."

    def handle(self, *args, **options):
        dossier_ids = Event.objects.values_list("dossier_id", flat=True).distinct().order_by()
        checked = 0
        for dossier_id in sorted(set(dossier_ids)):
            ok, problem = verify_chain(dossier_id)
            if not ok:
                raise CommandError(f"Chuỗi nhật ký bị phá vỡ: {problem}")
            checked += 1
        self.stdout.write(f"Đã kiểm tra nhật ký của {checked} hồ sơ: toàn vẹn.")
