"""Staff review of flagged payments."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import PaymentError
from ..models import Payment
from .status import payment_lock


@transaction.atomic
def payment_flag_resolve(*, payment: Payment, user, note: str) -> Payment:
    """Record that staff dealt with a flagged payment (e.g. refunded a duplicate), with a note."""
    note = str(note or "").strip()
    if not note:
        raise PaymentError(_("Say what was done about this payment."), field="note")
    payment, _siblings = payment_lock(payment_id=payment.pk)
    if not payment.flagged:
        raise PaymentError(_("This payment is not flagged."), field="payment")
    if payment.flag_resolved_at:
        return payment
    payment.flag_resolved_at = timezone.now()
    payment.flag_resolved_by = user
    payment.flag_resolution_note = note[:300]
    payment.save(update_fields=["flag_resolved_at", "flag_resolved_by", "flag_resolution_note", "updated_at"])
    return payment
