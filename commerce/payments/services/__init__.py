"""Payment services: the functions other apps call (see the contract in the README)."""

from .flags import payment_flag_resolve
from .notifications import payment_notification_handle
from .payments import (
    payment_cancel,
    payment_check_status,
    payment_refund,
    payment_start_qris,
    payment_start_snap,
)
from .reconciliation import ReconcileResult, payments_reconcile

__all__ = [
    "ReconcileResult",
    "payment_cancel",
    "payment_check_status",
    "payment_flag_resolve",
    "payment_notification_handle",
    "payment_refund",
    "payment_start_qris",
    "payment_start_snap",
    "payments_reconcile",
]
