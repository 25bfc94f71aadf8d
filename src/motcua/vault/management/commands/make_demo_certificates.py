"""`python -m motcua make_demo_certificates`: a local CA and a signing certificate for each
agency, in SIGNING_KEYS_DIR, for the demo and tests (never for production: docs/signing.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.catalog.models import Agency
from motcua.core.certificates import make_demo_certificates


class Command(BaseCommand):
    help = "Make a local demo CA and a PKCS#12 signing certificate per agency."

    def add_arguments(self, parser):
        parser.add_argument("--replace", action="store_true", help="Make new ones for all.")

    def handle(self, *args, replace=False, **options):
        agencies = list(Agency.objects.order_by("code").values_list("code", "name"))
        directory = Path(settings.SIGNING_KEYS_DIR)
        written = make_demo_certificates(
            directory, agencies, settings.SIGNING_PASSPHRASE, replace=replace
        )
        self.stdout.write(
            f"{len(written)} certificate(s) written to {directory.name}/ ({len(agencies)} agencies)."
        )
