"""Write the API's OpenAPI document; docs/openapi.json is committed and checked by the tests."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand


def openapi_document() -> str:
    """The schema of the v1 API as pretty-printed JSON with sorted keys (stable diffs)."""
    from motcua.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI document of /api/v1/ (or write it with --output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write instead of standard output.")

    def handle(self, *args, output=None, **options):
        document = openapi_document()
        if output:
            Path(output).write_text(document, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(document, ending="")
