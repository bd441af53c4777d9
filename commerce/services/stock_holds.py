"""An order's stock: the reservation taken at checkout, released when it lapses, committed when paid."""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils.translation import gettext as _

from ..models import Order

logger = logging.getLogger(__name__)


def order_stock_lines(order: Order, *, not_restocked: bool = False) -> list:
    """The order's lines for the ledger; with `not_restocked`, only the units not put back on the shelf yet."""
    from catalog.services.stock import StockLine

    return [
        StockLine(
            variant_id=line.variant_id,
            quantity=line.quantity - (line.restocked_quantity if not_restocked else 0),
            unit_price=line.unit_price,
            commission_rate_bp=line.commission_rate_bp,
        )
        for line in order.lines.all()
        if line.variant_id and (line.quantity - (line.restocked_quantity if not_restocked else 0)) > 0
    ]


def order_release_stock(*, order: Order) -> None:
    """Release the order's reservation (idempotent)."""
    from catalog.services.stock import stock_release

    if order.reservation_id:
        stock_release(reservation=order.reservation)


def order_commit_stock(*, order: Order, user=None) -> str | None:
    """Take the order's stock, consuming its reservation if it still holds. Return None, or why it failed."""
    from catalog.exceptions import InsufficientStock
    from catalog.services.stock import stock_commit_sale

    if order.stock_committed:
        return None
    reservation = order.reservation if order.reservation_id and _reservation_holds(order.reservation) else None
    try:
        stock_commit_sale(
            outlet=order.outlet,
            lines=order_stock_lines(order),
            reference=order.number,
            reservation=reservation,
            user=user,
        )
    except InsufficientStock as exc:
        logger.warning("Order %s paid but its stock is gone: %s", order.number, exc)
        return _("Stock not available: %(why)s") % {"why": exc.message}
    order.stock_committed = True
    order.save(update_fields=["stock_committed", "updated_at"])
    return None


def order_return_stock(*, order: Order, user=None) -> None:
    """Put the goods of a fully refunded order that never left the café back into its stock."""
    from catalog.services.stock import stock_return_sale

    if not order.stock_committed:
        return
    lines = order_stock_lines(order, not_restocked=True)  # units already returned one by one stay counted once
    if lines:
        stock_return_sale(outlet=order.outlet, lines=lines, reference=f"{order.number}-R", user=user)
        order.lines.update(restocked_quantity=F("quantity"))
    order.stock_committed = False
    order.save(update_fields=["stock_committed", "updated_at"])


def _reservation_holds(reservation) -> bool:
    from django.utils import timezone

    from catalog.models import ReservationStatus

    return reservation.status == ReservationStatus.ACTIVE and reservation.expires_at > timezone.now()
