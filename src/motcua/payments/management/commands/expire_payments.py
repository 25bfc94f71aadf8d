"""Mark VietQR payments whose code has expired (run it every few minutes, like a cron job)."""

from django.core.management.base import BaseCommand

from motcua.payments.services import expire_overdue


class Command(BaseCommand):
    help = "Đánh dấu hết hạn các mã thanh toán VietQR quá thời hạn."

    def handle(self, *args, **options):
        count = expire_overdue()
        self.stdout.write(f"{count} payment(s) expired")
