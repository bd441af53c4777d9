"""Build the demo data of every app through its services. Safe to run again."""

from django.core.management.base import BaseCommand

from accounts.services.roles import roles_sync
from core.registry import demo_modules


class Command(BaseCommand):
    help = "Create the demo data (cafés, accounts, products, services). Idempotent."

    def handle(self, *args, **options):
        roles_sync()
        for module in demo_modules():
            module.populate(stdout=self.stdout)
        from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo accounts (password: %s):" % DEMO_PASSWORD))
        for username, role, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role.label}")
