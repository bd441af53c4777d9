"""Mark stock reservations past their end as expired (also run every minute by Celery beat)."""

from django.core.management.base import BaseCommand

from catalog.services.stock import reservations_expire


class Command(BaseCommand):
    help = "Mark every active reservation past its end as expired."

    def handle(self, *args, **options):
        self.stdout.write(f"{reservations_expire()} reservation(s) expired.")
