"""What the benches share: the project on the import path, and a throwaway database to run
on (a temporary SQLite file, or a temporary database beside DATABASE_URL's, dropped
afterwards), so that a bench never touches real data."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def on_throwaway_database(run, args, **environ: str) -> None:
    """Set Django up with its own var folder and `environ`, then `run(args)`."""
    with tempfile.TemporaryDirectory() as var_dir:
        os.environ["MOTCUA_VAR_DIR"] = var_dir
        os.environ.update(environ)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        import django
        from django.core.management import call_command

        django.setup()
        from django.db import connection

        if connection.vendor == "postgresql":
            from django.test.utils import setup_databases, teardown_databases

            config = setup_databases(verbosity=0, interactive=False)
            try:
                run(args)
            finally:
                teardown_databases(config, verbosity=0)
        else:
            call_command("migrate", verbosity=0)
            run(args)
