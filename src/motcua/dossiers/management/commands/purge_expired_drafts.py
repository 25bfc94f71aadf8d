from django.core.management.base import BaseCommand

from motcua.dossiers.drafts import purge_expired


class Command(BaseCommand):
    help = "Delete online drafts not saved for 30 days, with their files."

    def handle(self, *args, **options):
        self.stdout.write(f"Đã xóa {purge_expired()} hồ sơ nháp quá hạn.")
