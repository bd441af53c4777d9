"""Suspend approved products whose permit has expired (also run hourly by Celery beat)."""

from django.core.management.base import BaseCommand

from catalog.services.products import products_suspend_expired_permits


class Command(BaseCommand):
    help = "Suspend every approved product with an expired permit and tell its owner."

    def handle(self, *args, **options):
        count = products_suspend_expired_permits()
        self.stdout.write(f"{count} product(s) suspended for an expired permit.")
