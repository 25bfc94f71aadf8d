from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import verify_anchors, verify_chain


class Command(BaseCommand):
    help = (
        "Check every dossier's hash-chained history against itself and against the head its "
        "row records, then every daily anchor; name the first break."
    )

    def handle(self, *args, **options):
        checked = 0
        for dossier_id in Dossier.objects.order_by("pk").values_list("pk", flat=True).iterator():
            ok, problem = verify_chain(dossier_id)
            if not ok:
                raise CommandError(f"Chuỗi nhật ký bị phá vỡ: {problem}")
            checked += 1
        anchors, problem = verify_anchors()
        if problem:
            raise CommandError(f"Chuỗi nhật ký bị phá vỡ: {problem}")
        self.stdout.write(
            f"Đã kiểm tra nhật ký của {checked} hồ sơ: toàn vẹn; {anchors} mốc neo hằng ngày khớp."
        )
