"""`python -m motcua make_demo_certificates`: a local CA and a signing certificate for each
agency, in SIGNING_KEYS_DIR, for the demo and tests (never for production: docs/signing.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.catalog.demo import load
from motcua.catalog.models import Agency
from motcua.core.certificates import make_demo_certificates


class Command(BaseCommand):
    help = "Make a local demo CA and a PKCS#12 signing certificate per agency."

    def add_arguments(self, parser):
        parser.add_argument("--replace", action="store_true", help="Make new ones for all.")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also the demo agencies (catalog demo data), before seed_demo creates them.",
        )

    def handle(self, *args, replace=False, demo=False, **options):
        agencies = dict(Agency.objects.order_by("code").values_list("code", "name"))
        if demo:
            for row in load("agencies")["agencies"]:
                agencies.setdefault(row["code"], row["name"])
        agencies = sorted(agencies.items())
        directory = Path(settings.SIGNING_KEYS_DIR)
        written = make_demo_certificates(
            directory, agencies, settings.SIGNING_PASSPHRASE, replace=replace
        )
        self.stdout.write(
            f"{len(written)} certificate(s) written to {directory.name}/ ({len(agencies)} agencies)."
        )
