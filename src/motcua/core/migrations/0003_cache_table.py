from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The database cache (settings.CACHES) holds the rate-limit counters shared by all
    # processes; createcachetable does nothing when the cache is Redis or already exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_api_tokens_idempotency")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
