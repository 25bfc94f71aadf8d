from datetime import date

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.services import anchor_day


class Command(BaseCommand):
    help = (
        "Take (once) and print the daily anchor of the dossiers' history: the SHA-256 over every "
        "chain's head at the day's last event. Publish the printed line where it cannot be "
        "rewritten (the province's gazette, an e-mail to the inspectorate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD (default: yesterday, local time)")

    def handle(self, *args, day=None, **options):
        try:
            when = date.fromisoformat(day) if day else None
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {day} (YYYY-MM-DD).") from exc
        anchor = anchor_day(when)
        self.stdout.write(
            f"Mốc neo nhật ký ngày {anchor.day:%d/%m/%Y}: {anchor.digest} "
            f"({anchor.dossiers} hồ sơ, {anchor.events} sự kiện, đến sự kiện id {anchor.last_event_id})"
        )
