"""Reads of the payments ledger."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from .models import SETTLED_STATUSES, Payment, PaymentFlagReason


def payments_all() -> QuerySet[Payment]:
    return Payment.objects.all()


def payments_for_reference(*, purpose: str, reference: str) -> QuerySet[Payment]:
    return Payment.objects.filter(purpose=purpose, reference=reference).order_by("-created_at", "-pk")


def payment_latest_for_reference(*, purpose: str, reference: str) -> Payment | None:
    return payments_for_reference(purpose=purpose, reference=reference).first()


def payment_received_total(*, purpose: str, reference: str) -> int:
    """Return the money kept for an order or sale: paid minus refunded, duplicates not counted."""
    totals = (
        Payment.objects.filter(purpose=purpose, reference=reference, status__in=SETTLED_STATUSES)
        .exclude(flag_reason=PaymentFlagReason.DUPLICATE_PAYMENT)
        .aggregate(paid=Sum("gross_amount"), refunded=Sum("refunded_amount"))
    )
    return (totals["paid"] or 0) - (totals["refunded"] or 0)


def payments_flagged(*, resolved: bool = False) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(flagged=True, flag_resolved_at__isnull=not resolved)
        .select_related("flag_resolved_by")
        .order_by("-updated_at", "-pk")
    )
