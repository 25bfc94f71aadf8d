"""Housekeeping to run daily (cron or a systemd timer, see docs/deployment.md)."""

import json

from django.core.management.base import BaseCommand

from motcua.core.services import purge_expired


class Command(BaseCommand):
    help = "Delete expired API tokens and idempotency records older than IDEMPOTENCY_KEEP_HOURS."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(purge_expired()))
