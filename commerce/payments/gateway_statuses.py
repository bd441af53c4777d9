"""How Midtrans' `transaction_status` (+ `fraud_status`) maps onto a `PaymentStatus`,
and which status changes a payment may make."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .models import PaymentStatus

_SIMPLE = {
    "pending": PaymentStatus.PENDING,
    "authorize": PaymentStatus.PENDING,
    "settlement": PaymentStatus.PAID,
    "deny": PaymentStatus.FAILED,
    "failure": PaymentStatus.FAILED,
    "cancel": PaymentStatus.CANCELLED,
    "expire": PaymentStatus.EXPIRED,
    "refund": PaymentStatus.REFUNDED,
    "partial_refund": PaymentStatus.PARTIALLY_REFUNDED,
    "chargeback": PaymentStatus.CHARGEBACK,
    "partial_chargeback": PaymentStatus.CHARGEBACK,
}

_CAPTURE = {
    "accept": PaymentStatus.PAID,
    "": PaymentStatus.PAID,
    "challenge": PaymentStatus.CHALLENGE,
    "deny": PaymentStatus.FAILED,
}

_P = PaymentStatus
# from -> statuses it may move to. Never back to pending; "paid" may still be reversed (settlement -> deny),
# and a closed payment that Midtrans reports paid is accepted (and flagged) so no money goes unrecorded.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    _P.PENDING: {_P.PAID, _P.CHALLENGE, _P.FAILED, _P.CANCELLED, _P.EXPIRED},
    _P.CHALLENGE: {_P.PAID, _P.FAILED, _P.CANCELLED, _P.EXPIRED},
    _P.PAID: {_P.FAILED, _P.CANCELLED, _P.REFUNDED, _P.PARTIALLY_REFUNDED, _P.CHARGEBACK},
    _P.PARTIALLY_REFUNDED: {_P.REFUNDED, _P.CHARGEBACK},
    _P.FAILED: {_P.PAID},
    _P.CANCELLED: {_P.PAID},
    _P.EXPIRED: {_P.PAID},
    _P.REFUNDED: {_P.CHARGEBACK},
    _P.CHARGEBACK: set(),
}


def status_from_gateway(transaction_status: str, fraud_status: str = "") -> PaymentStatus | None:
    """Return the payment status for Midtrans' transaction and fraud status, or None when unknown."""
    transaction_status = (transaction_status or "").strip().lower()
    fraud_status = (fraud_status or "").strip().lower()
    if transaction_status == "capture":
        return _CAPTURE.get(fraud_status)
    return _SIMPLE.get(transaction_status)


def transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, set())


def amount_from_gateway(value) -> int | None:
    """Return whole rupiah from Midtrans' `gross_amount` ("145000.00"), or None if it is not a whole amount."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount != amount.to_integral_value() or amount < 0:
        return None
    return int(amount)


def amount_to_gateway(amount: int) -> str:
    """Return the amount the way Midtrans writes it in notifications and status answers."""
    return f"{int(amount)}.00"
