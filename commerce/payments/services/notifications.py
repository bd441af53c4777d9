"""Midtrans HTTP notifications: verify, keep the raw body, apply, then confirm with the Status API."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from ..exceptions import InvalidNotification, InvalidSignature, PaymentNotFound
from ..midtrans_client import midtrans_server_key
from ..midtrans_signature import signature_is_valid
from ..models import NotificationOutcome, Payment, PaymentNotification, StatusSource
from .status import payment_gateway_state_apply

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("order_id", "status_code", "gross_amount", "signature_key", "transaction_status")


def _status_confirm_later(payment_id: int) -> None:
    from ..tasks import payment_status_confirm_task

    payment_status_confirm_task.delay(payment_id)


def _notification_store(body: dict, *, payment: Payment | None, outcome: str) -> PaymentNotification:
    return PaymentNotification.objects.create(
        payment=payment,
        order_id=body["order_id"][:64],
        transaction_status=body["transaction_status"][:32],
        fraud_status=str(body.get("fraud_status") or "")[:16],
        status_code=body["status_code"][:8],
        gross_amount=body["gross_amount"][:32],
        body=body,
        outcome=outcome,
    )


def payment_notification_handle(*, body: dict) -> Payment:
    """Verify a notification's signature, keep it, apply it once, and return the payment.

    A duplicate changes nothing; an out-of-date status (pending after settlement) is kept
    but ignored; an amount that differs from the payment flags it for staff. After a
    notification that changed something, the Status API is asked (after commit, in a task).
    """
    if not isinstance(body, dict) or any(not isinstance(body.get(f), str) or not body.get(f) for f in REQUIRED_FIELDS):
        raise InvalidNotification(_("This is not a Midtrans notification."))
    if not signature_is_valid(body, server_key=midtrans_server_key()):
        logger.warning("Rejected a Midtrans notification with a bad signature for %s", str(body.get("order_id"))[:64])
        raise InvalidSignature(_("The notification's signature is not valid."))
    order_id = body["order_id"]
    payment = Payment.objects.filter(midtrans_order_id=order_id).only("pk").first()
    if payment is None:
        _notification_store(body, payment=None, outcome=NotificationOutcome.UNKNOWN_ORDER)
        logger.info("Midtrans notification for unknown order id %s kept and ignored", order_id[:64])
        raise PaymentNotFound(_("No payment has this order id."))
    try:
        # One transaction (one commit) for the raw body and its effect.
        with transaction.atomic():
            notification = _notification_store(body, payment=payment, outcome=NotificationOutcome.RECEIVED)
            payment, outcome = payment_gateway_state_apply(
                payment_id=payment.pk, answer=body, source=StatusSource.NOTIFICATION, notification=notification
            )
    except Exception:
        # Keep the raw body even when applying it failed; Midtrans sends it again.
        _notification_store(body, payment=payment, outcome=NotificationOutcome.RECEIVED)
        raise
    if outcome in (NotificationOutcome.APPLIED, NotificationOutcome.AMOUNT_MISMATCH):
        payment_id = payment.pk
        transaction.on_commit(lambda: _status_confirm_later(payment_id), robust=True)
    return payment
