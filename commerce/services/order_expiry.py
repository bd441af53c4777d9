"""Unpaid orders whose payment time ran out: ask Midtrans once more, then expire them and free their stock."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Order, OrderStatus
from .order_payments import order_payments
from .orders import order_lock, order_transition
from .stock_holds import order_release_stock

logger = logging.getLogger(__name__)


def orders_expire_overdue(*, now: datetime.datetime | None = None) -> int:
    """Expire unpaid orders past their deadline plus ORDER_UNPAID_GRACE_MINUTES. Return how many expired."""
    from commerce.payments.exceptions import PaymentError
    from commerce.payments.services import payment_check_status

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.ORDER_UNPAID_GRACE_MINUTES)
    expired = 0
    for order in Order.objects.filter(status=OrderStatus.UNPAID, expires_at__lt=cutoff).order_by("pk")[:500]:
        for payment in order_payments(order).filter(status="pending"):
            try:
                payment_check_status(payment=payment)  # a paid or expired answer moves the order through the handler
            except PaymentError as exc:
                logger.info("Status of payment %s unknown: %s", payment.pk, exc)
        with transaction.atomic():
            locked = order_lock(order)
            if locked.status != OrderStatus.UNPAID:
                continue
            order_release_stock(order=locked)
            order_transition(order=locked, to_status=OrderStatus.EXPIRED)
            expired += 1
    return expired
