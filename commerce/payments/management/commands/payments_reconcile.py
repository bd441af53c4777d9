"""Ask Midtrans about payments still open after PAYMENT_RECONCILE_AFTER_MINUTES."""

from django.core.management.base import BaseCommand, CommandError

from commerce.payments.exceptions import GatewayError
from commerce.payments.services import payments_reconcile


class Command(BaseCommand):
    help = "Check open Midtrans payments with the Status API; expire the ones Midtrans says expired."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200)

    def handle(self, *args, limit, **options):
        try:
            result = payments_reconcile(limit=limit)
        except GatewayError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"checked={result.checked} changed={result.changed} paid={result.paid} expired={result.expired} errors={result.errors}"
        )
