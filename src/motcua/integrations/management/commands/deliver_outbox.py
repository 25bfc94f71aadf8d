from django.core.management.base import BaseCommand

from motcua.integrations.notifications import deliver_outbox


class Command(BaseCommand):
    help = (
        "Deliver pending notifications (e-mail, SMS) and retry the failed ones whose backoff "
        "has passed. Safe to run from cron next to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="Most messages in one run.")

    def handle(self, *args, limit: int, **options):
        counts = deliver_outbox(limit=limit)
        self.stdout.write(f"sent: {counts['sent']}, failed: {counts['failed']}")
