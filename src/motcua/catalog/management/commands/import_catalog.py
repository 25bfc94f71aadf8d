"""python -m motcua import_catalog FILE [--format xlsx|csv] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.exchange import FORMATS, format_for, import_catalog
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Import sectors, agencies and procedures from an XLSX or CSV file (docs/catalog.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file name.")
        parser.add_argument("--dry-run", action="store_true", help="Check only, keep nothing.")

    def handle(self, *args, file, format=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        try:
            report = import_catalog(path.read_bytes(), format_for(path, format), dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(f"{exc.message} {exc.fields or ''}".strip()) from exc
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"Thêm mới {report.created}, cập nhật {report.updated}, không đổi {report.unchanged}, "
            f"lỗi {len(report.errors)}" + (" (chạy thử, không lưu)" if dry_run else "")
        )
        if report.errors:
            raise CommandError("Có dòng lỗi: các dòng đó không được nhập.")
