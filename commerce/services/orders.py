"""The order lifecycle: one transition function with an allowed-transition table, and the staff actions on it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import user_can_act_at_outlet
from core.exceptions import DomainError, NotFoundError
from core.money import format_rupiah

from ..error_codes import CommerceErrorCode
from ..exceptions import InvalidAmount, InvalidPickupCode, InvalidTransition
from ..models import DeliveryMethod, Order, OrderEvent, OrderEventType, OrderLine, OrderStatus
from ..notifications import order_notify_status
from ..order_codes import pickup_code_parse

S = OrderStatus

# Where each status may go. A late payment may revive an expired or cancelled order: it is then flagged.
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    S.UNPAID: frozenset({S.PAID, S.CANCELLED, S.EXPIRED}),
    S.PAID: frozenset({S.READY_FOR_PICKUP, S.SHIPPED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.READY_FOR_PICKUP: frozenset({S.COMPLETED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.SHIPPED: frozenset({S.COMPLETED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.COMPLETED: frozenset({S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.READY_FOR_PICKUP, S.SHIPPED, S.COMPLETED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.EXPIRED: frozenset({S.PAID}),
    S.CANCELLED: frozenset({S.PAID}),
    S.REFUNDED: frozenset(),
}

# Statuses in which the goods are still at the café (a full refund puts them back on the shelf).
GOODS_AT_CAFE = frozenset({S.PAID, S.READY_FOR_PICKUP, S.PARTIALLY_REFUNDED})

_TIMESTAMP_FIELDS = {
    S.PAID: "paid_at",
    S.READY_FOR_PICKUP: "ready_at",
    S.SHIPPED: "shipped_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
}


def order_lock(order: Order | int) -> Order:
    """Return the order row locked for this transaction (call inside `transaction.atomic`)."""
    pk = order if isinstance(order, int) else order.pk
    return Order.objects.select_for_update().get(pk=pk)


def order_can_transition(order: Order, to_status: str) -> bool:
    return to_status in ORDER_TRANSITIONS.get(order.status, frozenset())


def order_transition(*, order: Order, to_status: str, user=None, message: str = "", notify: bool = True) -> Order:
    """Move a locked order to `to_status` if the table allows it; record who and when; notify after commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("order_transition must run inside a transaction on a locked order")
    from_status = order.status
    if not order_can_transition(order, to_status):
        raise InvalidTransition(
            _("An order that is “%(from)s” cannot become “%(to)s”.")
            % {"from": OrderStatus(from_status).label, "to": OrderStatus(to_status).label}
        )
    now = timezone.now()
    order.status = to_status
    fields = ["status", "updated_at"]
    stamp = _TIMESTAMP_FIELDS.get(to_status)
    if stamp and getattr(order, stamp) is None:
        setattr(order, stamp, now)
        fields.append(stamp)
    order.save(update_fields=fields)
    OrderEvent.objects.create(
        order=order,
        type=OrderEventType.STATUS_CHANGED,
        from_status=from_status,
        to_status=to_status,
        user=user if user is not None and user.is_authenticated else None,
        message=message[:300],
    )
    if notify:
        order_pk = order.pk
        transaction.on_commit(lambda: order_notify_status(order_id=order_pk))
    return order


def order_flag(*, order: Order, reason: str, user=None) -> Order:
    """Mark a locked order for staff attention, keeping earlier reasons."""
    reason = str(reason)
    order.flagged = True
    order.flag_reason = (f"{order.flag_reason} | {reason}" if order.flag_reason else reason)[:300]
    order.save(update_fields=["flagged", "flag_reason", "updated_at"])
    OrderEvent.objects.create(order=order, type=OrderEventType.FLAGGED, message=reason[:300], user=user)
    return order


def _staff_order(*, order: Order, user) -> Order:
    """Lock the order and check that this staff member works at its café."""
    if not user_can_act_at_outlet(user, order.outlet_id):
        raise NotFoundError(_("Order not found."), field="number")
    return order_lock(order)


@transaction.atomic
def order_mark_ready(*, order: Order, user) -> Order:
    """Tell the shopper the pickup order waits at the café."""
    order = _staff_order(order=order, user=user)
    if order.delivery_method != DeliveryMethod.PICKUP:
        raise InvalidTransition(_("Only pickup orders are made ready at the café; mark a delivery as shipped."))
    _require_stock_taken(order)
    return order_transition(order=order, to_status=S.READY_FOR_PICKUP, user=user)


@transaction.atomic
def order_mark_shipped(*, order: Order, user) -> Order:
    """Record that a delivery order left the café."""
    order = _staff_order(order=order, user=user)
    if order.delivery_method != DeliveryMethod.DELIVERY:
        raise InvalidTransition(_("A pickup order is handed over at the café, not shipped."))
    _require_stock_taken(order)
    return order_transition(order=order, to_status=S.SHIPPED, user=user)


@transaction.atomic
def order_mark_delivered(*, order: Order, user) -> Order:
    """Complete a shipped delivery order."""
    order = _staff_order(order=order, user=user)
    if order.delivery_method != DeliveryMethod.DELIVERY:
        raise InvalidTransition(_("A pickup order is completed by handing it over with its pickup code."))
    if order.status == S.PARTIALLY_REFUNDED and order.shipped_at is None:
        raise InvalidTransition(_("Ship the order first."))
    return order_transition(order=order, to_status=S.COMPLETED, user=user)


def _require_stock_taken(order: Order) -> None:
    if not order.stock_committed:
        raise DomainError(
            _(
                "The stock of this order was not taken (it was paid after its time ran out). Restock or refund it first."
            ),
            code=CommerceErrorCode.STOCK_NOT_TAKEN,
            field="number",
        )


@transaction.atomic
def order_hand_over(*, pickup_code: str, user, outlets) -> Order:
    """Complete the pickup order whose code (typed or scanned from its QR) was shown at one of `outlets`."""
    number, code = pickup_code_parse(pickup_code)
    if not code:
        raise InvalidPickupCode(_("Scan or type the pickup code."))
    queryset = Order.objects.select_for_update().filter(pickup_code=code, outlet__in=outlets)
    if number:
        queryset = queryset.filter(number=number)
    order = queryset.first()
    if order is None:
        raise InvalidPickupCode(_("No order of your café has this pickup code."))
    if order.delivery_method != DeliveryMethod.PICKUP:
        raise InvalidPickupCode(_("This order is a delivery, not a pickup."))
    if order.status != S.READY_FOR_PICKUP and not (order.status == S.PARTIALLY_REFUNDED and order.ready_at):
        raise InvalidTransition(
            _("Order %(number)s is “%(status)s”: only an order that is ready for pickup can be handed over.")
            % {"number": order.number, "status": order.get_status_display()}
        )
    return order_transition(order=order, to_status=S.COMPLETED, user=user, message=_("Handed over at the café."))


@transaction.atomic
def order_cancel(*, order: Order, user, reason: str = "") -> Order:
    """Cancel an unpaid order: cancel its payment and release its reserved stock."""
    from .order_payments import order_payment_cancel_pending

    order = order_lock(order)
    if order.status != S.UNPAID:
        if order.status in (S.PAID, S.READY_FOR_PICKUP, S.SHIPPED, S.COMPLETED, S.PARTIALLY_REFUNDED):
            raise InvalidTransition(_("This order is paid: refund it instead of cancelling it."))
        raise InvalidTransition(
            _("An order that is “%(status)s” cannot be cancelled.") % {"status": order.get_status_display()}
        )
    order_payment_cancel_pending(order=order)
    from .stock_holds import order_release_stock

    order_release_stock(order=order)
    return order_transition(order=order, to_status=S.CANCELLED, user=user, message=reason or _("Cancelled."))


def order_refund(*, order: Order, amount: int, user, reason: str = "") -> Order:
    """Refund all or part of a paid order through Midtrans; the payment's new status moves the order.

    The Midtrans call runs outside the order's lock; the payments app guarantees that concurrent or
    retried refunds never return more than was paid.
    """
    from .order_payments import order_payment_paid, payment_refund_call

    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidAmount(_("The amount must be a whole number of rupiah."))
    with transaction.atomic():
        order = _staff_order(order=order, user=user)
        refundable = order.total - order.refunded_amount
        if order.status not in (S.PAID, S.READY_FOR_PICKUP, S.SHIPPED, S.COMPLETED, S.PARTIALLY_REFUNDED):
            raise InvalidTransition(
                _("An order that is “%(status)s” cannot be refunded.") % {"status": order.get_status_display()}
            )
        if amount <= 0 or amount > refundable:
            raise InvalidAmount(_("The refund must be between Rp1 and %(max)s.") % {"max": format_rupiah(refundable)})
        payment = order_payment_paid(order)
        if payment is None:
            raise DomainError(
                _("This order has no paid payment to refund."), code=CommerceErrorCode.NO_PAYMENT, field="number"
            )
    reason = reason.strip() or _("Refund of order %(number)s") % {"number": order.number}
    payment_refund_call(payment=payment, amount=amount, reason=reason, user=user)
    OrderEvent.objects.create(
        order=order, type=OrderEventType.REFUND_REQUESTED, user=user, amount=amount, message=reason[:300]
    )
    order.refresh_from_db()
    return order


@transaction.atomic
def order_restock(*, order: Order, lines, user, reason: str = "") -> Order:
    """Put units of a paid order back on its café's shelf: goods the shopper returned or never took.

    `lines` is a list of (order line id, quantity). Each line can give back at most the units not
    returned yet; the ledger gets one return per call (reference `<number>-K<n>`). Money is a
    separate matter: refund it with `order_refund`. A full refund of goods still at the café puts
    back only what was not returned here.
    """
    from catalog.services.stock import StockLine, stock_return_sale

    order = _staff_order(order=order, user=user)
    if not order.stock_committed:
        raise DomainError(
            _("The goods of this order were never taken from stock, or are back already."),
            code=CommerceErrorCode.STOCK_NOT_TAKEN,
            field="lines",
        )
    by_id = {line.pk: line for line in order.lines.select_for_update()}
    wanted: dict[int, int] = {}
    for line_id, quantity in lines or []:
        line = by_id.get(_whole(line_id, message=_("Choose the lines of this order.")))
        if line is None or not line.variant_id:
            raise DomainError(_("Choose the lines of this order."), code=CommerceErrorCode.INVALID, field="lines")
        wanted[line.pk] = wanted.get(line.pk, 0) + _whole(quantity, message=_("Quantities must be whole numbers."))
    wanted = {line_id: quantity for line_id, quantity in wanted.items() if quantity}
    if not wanted:
        raise DomainError(
            _("Enter how many units go back to stock."), code=CommerceErrorCode.INVALID_QUANTITY, field="lines"
        )
    for line_id, quantity in wanted.items():
        line = by_id[line_id]
        left = line.quantity - line.restocked_quantity
        if quantity < 0 or quantity > left:
            raise DomainError(
                _("%(product)s: at most %(left)d can go back to stock.") % {"product": line.product_name, "left": left},
                code=CommerceErrorCode.INVALID_QUANTITY,
                field="lines",
            )
    done = OrderEvent.objects.filter(order=order, type=OrderEventType.RESTOCKED).count()
    stock_return_sale(
        outlet=order.outlet,
        lines=[
            StockLine(
                variant_id=by_id[line_id].variant_id,
                quantity=quantity,
                unit_price=by_id[line_id].unit_price,
                commission_rate_bp=by_id[line_id].commission_rate_bp,
            )
            for line_id, quantity in wanted.items()
        ],
        reference=f"{order.number}-K{done + 1}",
        user=user,
    )
    for line_id, quantity in wanted.items():
        by_id[line_id].restocked_quantity += quantity
    OrderLine.objects.bulk_update([by_id[line_id] for line_id in wanted], ["restocked_quantity"])
    summary = ", ".join(f"{quantity} × {by_id[line_id].product_name}" for line_id, quantity in wanted.items())
    OrderEvent.objects.create(
        order=order,
        type=OrderEventType.RESTOCKED,
        user=user,
        message=(f"{summary}. {reason.strip()}" if reason.strip() else summary)[:300],
    )
    return order


def _whole(value, *, message: str) -> int:
    if isinstance(value, bool) or isinstance(value, float):
        raise DomainError(message, code=CommerceErrorCode.INVALID_QUANTITY, field="lines")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(message, code=CommerceErrorCode.INVALID_QUANTITY, field="lines") from None
