from django.core.management.base import BaseCommand

from motcua.dossiers.tallies import rebuild


class Command(BaseCommand):
    help = (
        "Recount the dossiers of each agency by status (the inbox totals), after a restore or "
        "a bulk load made with the triggers off."
    )

    def handle(self, *args, **options):
        differing, counted = rebuild()
        self.stdout.write(f"Đã đếm lại {counted} hồ sơ; {differing} dòng số đếm đã được sửa.")
