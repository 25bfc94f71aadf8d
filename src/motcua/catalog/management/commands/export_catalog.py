"""python -m motcua export_catalog --format xlsx|csv --output FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.exchange import FORMATS, export_catalog, format_for
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Export the published procedures (and, in XLSX, sectors and agencies)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file name.")
        parser.add_argument("--output", required=True)

    def handle(self, *args, format=None, output, **options):
        try:
            content = export_catalog(format_for(output, format))
        except DomainError as exc:
            raise CommandError(f"{exc.message} {exc.fields or ''}".strip()) from exc
        Path(output).write_bytes(content)
        self.stdout.write(f"Đã ghi {output} ({len(content)} byte).")
