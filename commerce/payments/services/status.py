"""Status changes of a payment: the one function that moves a payment, and applying what Midtrans says.

Every change goes through `payment_status_set` (allowed-transition table, history row,
handlers of the payment's purpose). Payments of one reference are locked together, in pk
order, so two payments of the same order settling at once cannot both count.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo

from django.db import transaction
from django.utils import timezone

from ..gateway_statuses import amount_from_gateway, status_from_gateway, transition_allowed
from ..handlers import payment_handlers_dispatch
from ..models import (
    SETTLED_STATUSES,
    NotificationOutcome,
    Payment,
    PaymentFlagReason,
    PaymentNotification,
    PaymentRefund,
    PaymentStatus,
    PaymentStatusChange,
    RefundStatus,
    StatusSource,
)

logger = logging.getLogger(__name__)

_CLOSED_UNPAID = (PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED)
_WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def payments_lock_reference(*, purpose: str, reference: str) -> list[Payment]:
    """Lock every payment of one order or sale, in pk order, and return them."""
    return list(Payment.objects.filter(purpose=purpose, reference=reference).select_for_update().order_by("pk"))


def payment_lock(*, payment_id: int) -> tuple[Payment, list[Payment]]:
    """Lock the payment together with the other payments of its reference; return it and them."""
    head = Payment.objects.only("purpose", "reference").get(pk=payment_id)
    siblings = payments_lock_reference(purpose=head.purpose, reference=head.reference)
    payment = next(p for p in siblings if p.pk == payment_id)
    return payment, siblings


def payment_flag(payment: Payment, *, reason: str, detail: str = "") -> None:
    """Mark the payment for staff review (saved by the caller). A duplicate stays a duplicate."""
    if payment.flagged and payment.flag_reason == PaymentFlagReason.DUPLICATE_PAYMENT and not payment.flag_resolved_at:
        payment.flag_detail = (f"{payment.flag_detail}; {detail}" if detail else payment.flag_detail)[:300]
        return
    payment.flagged = True
    payment.flag_reason = str(reason)
    payment.flag_detail = detail[:300]
    payment.flag_resolved_at = None
    payment.flag_resolved_by = None
    payment.flag_resolution_note = ""
    logger.warning("Payment %s flagged: %s %s", payment.midtrans_order_id, reason, detail)


def payment_status_set(
    payment: Payment,
    *,
    to_status: str,
    source: str,
    note: str = "",
    notification: PaymentNotification | None = None,
    dispatch: bool = True,
) -> Payment:
    """Move a locked payment to `to_status`, record the step and run the handlers; save the payment."""
    previous = payment.status
    if not transition_allowed(previous, to_status):
        raise ValueError(f"Payment {payment.pk}: {previous} -> {to_status} is not allowed")
    payment.status = str(to_status)
    payment.save()
    PaymentStatusChange.objects.create(
        payment=payment,
        from_status=previous,
        to_status=to_status,
        source=source,
        note=note[:300],
        notification=notification,
    )
    if dispatch and payment.flag_reason != PaymentFlagReason.DUPLICATE_PAYMENT:
        payment_handlers_dispatch(payment, previous)
    return payment


def _gateway_time(value) -> datetime.datetime | None:
    """Parse Midtrans' 'YYYY-MM-DD HH:MM:SS' (WIB) timestamps."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=_WIB)


@transaction.atomic
def payment_gateway_state_apply(
    *, payment_id: int, answer: dict, source: str, notification: PaymentNotification | None = None
) -> tuple[Payment, str]:
    """Apply a notification body or a Status API answer to the payment; return it and the outcome."""
    payment, siblings = payment_lock(payment_id=payment_id)
    now = timezone.now()
    if source in (StatusSource.STATUS_API, StatusSource.RECONCILE):
        payment.last_checked_at = now
    outcome = _apply(payment, siblings, answer=answer, source=source, notification=notification, now=now)
    if outcome != NotificationOutcome.APPLIED:
        payment.save()
    if notification is not None:
        PaymentNotification.objects.filter(pk=notification.pk).update(outcome=outcome, payment=payment)
        notification.outcome = outcome
    return payment, outcome


def _apply(payment, siblings, *, answer, source, notification, now) -> str:
    reported = amount_from_gateway(answer.get("gross_amount"))
    if reported != payment.gross_amount:
        payment_flag(
            payment,
            reason=PaymentFlagReason.AMOUNT_MISMATCH,
            detail=f"Midtrans reported {answer.get('gross_amount')!s:.30} ({answer.get('transaction_status')!s:.20}), payment is {payment.gross_amount}",
        )
        return NotificationOutcome.AMOUNT_MISMATCH

    transaction_status = str(answer.get("transaction_status") or "")
    fraud_status = str(answer.get("fraud_status") or "")
    new_status = status_from_gateway(transaction_status, fraud_status)
    if answer.get("transaction_id") and not payment.transaction_id:
        payment.transaction_id = str(answer["transaction_id"])[:64]
    if answer.get("payment_type"):
        payment.payment_type = str(answer["payment_type"])[:32]
    if fraud_status:
        payment.fraud_status = fraud_status[:16]
    if new_status in (PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED):
        _refunded_amount_update(payment, answer, new_status)

    if new_status is None:
        logger.warning(
            "Unknown Midtrans status %r/%r for %s", transaction_status, fraud_status, payment.midtrans_order_id
        )
        return NotificationOutcome.STALE
    if new_status == payment.status:
        return NotificationOutcome.DUPLICATE
    if not transition_allowed(payment.status, new_status):
        logger.info("Ignoring %s -> %s for %s (out of date)", payment.status, new_status, payment.midtrans_order_id)
        return NotificationOutcome.STALE

    previous = payment.status
    if new_status == PaymentStatus.PAID:
        payment.paid_at = (
            _gateway_time(answer.get("settlement_time")) or _gateway_time(answer.get("transaction_time")) or now
        )
        if previous in _CLOSED_UNPAID:
            payment_flag(payment, reason=PaymentFlagReason.PAID_AFTER_CLOSED, detail=f"Paid after it was {previous}")
        already_paid = [
            p
            for p in siblings
            if p.pk != payment.pk
            and p.status in SETTLED_STATUSES
            and p.flag_reason != PaymentFlagReason.DUPLICATE_PAYMENT
        ]
        if already_paid:
            payment_flag(
                payment,
                reason=PaymentFlagReason.DUPLICATE_PAYMENT,
                detail=f"{payment.reference} was already paid by {already_paid[0].midtrans_order_id}",
            )
    elif previous in SETTLED_STATUSES and new_status == PaymentStatus.FAILED:
        payment_flag(
            payment, reason=PaymentFlagReason.REVERSED, detail=f"Midtrans reported {transaction_status} after payment"
        )
    elif new_status == PaymentStatus.CHARGEBACK:
        payment_flag(payment, reason=PaymentFlagReason.CHARGEBACK, detail=f"Midtrans reported {transaction_status}")

    note = f"{transaction_status}" + (f"/{fraud_status}" if fraud_status else "")
    payment_status_set(payment, to_status=new_status, source=source, note=note, notification=notification)
    return NotificationOutcome.APPLIED


def _refunded_amount_update(payment: Payment, answer: dict, new_status: str) -> None:
    """Take the larger of Midtrans' cumulative refund and our own succeeded refunds: never count one twice."""
    gateway_total = (
        amount_from_gateway(answer.get("refund_amount")) if answer.get("refund_amount") is not None else None
    )
    if gateway_total is None and new_status == PaymentStatus.REFUNDED:
        gateway_total = payment.gross_amount
    ledger_total = sum(
        PaymentRefund.objects.filter(payment=payment, status=RefundStatus.SUCCEEDED).values_list("amount", flat=True)
    )
    payment.refunded_amount = min(payment.gross_amount, max(payment.refunded_amount, gateway_total or 0, ledger_total))
