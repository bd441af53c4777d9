"""Migrate, then load demo data only when the database has none (used by `make run`)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Apply migrations and, on an empty database, load the demo data."

    def add_arguments(self, parser):
        parser.add_argument("--force-demo", action="store_true", help="Run populatedb even if data exists.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        from accounts.models import Outlet

        if options["force_demo"] or not Outlet.objects.exists():
            call_command("populatedb", stdout=self.stdout)
        else:
            self.stdout.write("Database already has data; demo data left as it is.")
