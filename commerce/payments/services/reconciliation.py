"""Periodic reconciliation: ask Midtrans about payments that stayed open too long."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..exceptions import GatewayError, GatewayMisconfigured
from ..models import OPEN_STATUSES, Payment, PaymentStatus, StatusSource
from .payments import _payment_status_sync

logger = logging.getLogger(__name__)


@dataclass
class ReconcileResult:
    checked: int = 0
    changed: int = 0
    expired: int = 0
    paid: int = 0
    errors: int = 0


def payments_reconcile(*, now: datetime.datetime | None = None, limit: int = 200) -> ReconcileResult:
    """Check every payment open for longer than PAYMENT_RECONCILE_AFTER_MINUTES with the Status API."""
    now = now or timezone.now()
    wait = datetime.timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    due = (
        Payment.objects.filter(status__in=OPEN_STATUSES, created_at__lte=now - wait)
        .filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=now - wait))
        .order_by("created_at", "pk")[:limit]
    )
    result = ReconcileResult()
    for payment in list(due):
        before = payment.status
        try:
            after = _payment_status_sync(payment, source=StatusSource.RECONCILE).status
        except GatewayMisconfigured:
            raise
        except GatewayError as exc:
            result.errors += 1
            logger.warning("Reconciling %s failed: %s", payment.midtrans_order_id, exc.message)
            continue
        result.checked += 1
        if after != before:
            result.changed += 1
            result.expired += after == PaymentStatus.EXPIRED
            result.paid += after == PaymentStatus.PAID
    return result
