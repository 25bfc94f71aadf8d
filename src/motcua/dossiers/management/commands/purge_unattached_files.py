from django.core.management.base import BaseCommand

from motcua.dossiers.files import purge_unattached


class Command(BaseCommand):
    help = "Delete uploaded files left unattached to any dossier for more than 24 hours."

    def handle(self, *args, **options):
        self.stdout.write(f"Đã xóa {purge_unattached()} tệp không được sử dụng.")
