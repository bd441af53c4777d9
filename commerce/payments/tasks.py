"""Celery tasks of the payments app."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def payment_status_confirm_task(payment_id: int) -> None:
    """Confirm a payment with the Status API after a notification; reconciliation retries on failure."""
    from .exceptions import GatewayError
    from .models import Payment
    from .services import payment_check_status

    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return
    try:
        payment_check_status(payment=payment)
    except GatewayError as exc:
        logger.warning("Status check of %s after a notification failed: %s", payment.midtrans_order_id, exc.message)


@shared_task(ignore_result=True)
def payments_reconcile_task() -> dict:
    from .services import payments_reconcile

    result = payments_reconcile()
    logger.info("Payments reconciled: %s", result)
    return result.__dict__


@shared_task(ignore_result=True)
def simulator_notify_task(order_id: str) -> None:
    from .simulator.services import simulator_notify

    simulator_notify(order_id=order_id)
