"""Read queries of the point-of-sale domain: shifts, cash summaries, sales, receipts."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.selectors import outlets_for_user

from .models import (
    CashMovement,
    CashMovementKind,
    Refund,
    Sale,
    SaleLine,
    SaleStatus,
    Shift,
    ShiftStatus,
    Terminal,
)


def terminals_for_user(user) -> QuerySet[Terminal]:
    """Return the terminals of the cafés where this staff member may act."""
    if not user.is_authenticated:
        return Terminal.objects.none()
    return Terminal.objects.filter(outlet__in=outlets_for_user(user)).select_related("outlet")


def shifts_for_user(user) -> QuerySet[Shift]:
    if not user.is_authenticated:
        return Shift.objects.none()
    return Shift.objects.filter(terminal__outlet__in=outlets_for_user(user)).select_related(
        "terminal", "terminal__outlet", "cashier"
    )


def sales_for_user(user) -> QuerySet[Sale]:
    if not user.is_authenticated:
        return Sale.objects.none()
    return Sale.objects.filter(outlet__in=outlets_for_user(user)).select_related(
        "shift", "terminal", "outlet", "cashier", "visit"
    )


def shift_open_for_terminal(terminal: Terminal) -> Shift | None:
    return Shift.objects.filter(terminal=terminal, status=ShiftStatus.OPEN).select_related("cashier").first()


def shift_opening_cash_suggestion(*, terminal: Terminal) -> int:
    """Suggest the opening float: the cash counted when this terminal's last shift closed."""
    last = (
        Shift.objects.filter(terminal=terminal, status=ShiftStatus.CLOSED, counted_cash__isnull=False)
        .order_by("-closed_at")
        .values_list("counted_cash", flat=True)
        .first()
    )
    return int(last or 0)


def _sum(field, **filters):
    return Coalesce(Sum(field, filter=Q(**filters) if filters else None), 0)


def shift_cash_summary(*, shift: Shift) -> dict:
    """Return the shift's figures: sales by payment method, refunds, discounts, cash movements, expected cash.

    expected cash = opening float + cash taken for sales (tendered − change) + cash in − cash out − cash refunds
    """
    done = Q(status=SaleStatus.COMPLETED)
    sales = Sale.objects.filter(shift=shift).aggregate(
        count=Count("pk", filter=done),
        total=Coalesce(Sum("total", filter=done), 0),
        cash=Coalesce(Sum("cash_amount", filter=done), 0),
        qris=Coalesce(Sum("qris_amount", filter=done), 0),
        discounts=Coalesce(Sum("discount_total", filter=done), 0),
        tendered=Coalesce(Sum("tendered", filter=done), 0),
        change=Coalesce(Sum("change", filter=done), 0),
        pending=Count("pk", filter=Q(status=SaleStatus.AWAITING_PAYMENT)),
        offline=Count("pk", filter=done & Q(offline=True)),
        late=Count("pk", filter=done & Q(late_sync=True)),
        oversold=Count("pk", filter=done & Q(oversold=True)),
    )
    refunds = Refund.objects.filter(shift=shift).aggregate(
        count=Count("pk"),
        total=Coalesce(Sum("total"), 0),
        cash=Coalesce(Sum("cash_amount"), 0),
        qris=Coalesce(Sum("qris_amount"), 0),
    )
    movements = CashMovement.objects.filter(shift=shift).aggregate(
        cash_in=_sum("amount", kind=CashMovementKind.CASH_IN),
        cash_out=_sum("amount", kind=CashMovementKind.CASH_OUT),
    )
    per_vendor = list(
        SaleLine.objects.filter(sale__shift=shift, sale__status=SaleStatus.COMPLETED)
        .values("vendor_id", "vendor_name")
        .annotate(quantity=Sum("quantity"), total=Sum("line_total"))
        .order_by("vendor_name")
    )
    expected = shift.opening_cash + sales["cash"] + movements["cash_in"] - movements["cash_out"] - refunds["cash"]
    return {
        "opening_cash": shift.opening_cash,
        "sales_count": sales["count"],
        "sales_total": sales["total"],
        "sales_cash": sales["cash"],
        "sales_qris": sales["qris"],
        "discounts": sales["discounts"],
        "cash_tendered": sales["tendered"],
        "change_given": sales["change"],
        "pending_payments": sales["pending"],
        "offline_sales": sales["offline"],
        "late_sync_sales": sales["late"],
        "oversold_sales": sales["oversold"],
        "refunds_count": refunds["count"],
        "refunds_total": refunds["total"],
        "refunds_cash": refunds["cash"],
        "refunds_qris": refunds["qris"],
        "cash_in": movements["cash_in"],
        "cash_out": movements["cash_out"],
        "expected_cash": expected,
        "per_vendor": [
            {
                "vendor_id": row["vendor_id"],
                "vendor": row["vendor_name"],
                "quantity": row["quantity"],
                "total": row["total"],
            }
            for row in per_vendor
        ],
    }


def sale_by_receipt_token(token: str) -> Sale | None:
    if not token:
        return None
    return (
        Sale.objects.select_related("outlet", "terminal", "cashier", "visit")
        .prefetch_related("lines", "payments")
        .filter(receipt_token=token)
        .exclude(status=SaleStatus.CANCELLED)
        .first()
    )


def sale_with_details(*, sale_id: int) -> Sale:
    return (
        Sale.objects.select_related("outlet", "terminal", "cashier", "visit", "shift")
        .prefetch_related("lines", "payments", "refunds")
        .get(pk=sale_id)
    )
