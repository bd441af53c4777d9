"""An order's Midtrans payments: starting Snap, and the handler that moves the order when a payment changes.

The payments app calls `order_payment_changed` inside its own transaction whenever
a payment of purpose "order" changes status (registered in `CommerceConfig.ready`).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services.visits import visit_mark_purchase
from core.exceptions import DomainError
from core.money import format_rupiah

from ..error_codes import CommerceErrorCode
from ..exceptions import InvalidTransition
from ..models import Order, OrderEvent, OrderEventType, OrderStatus
from .orders import GOODS_AT_CAFE, order_can_transition, order_flag, order_lock, order_transition
from .stock_holds import order_commit_stock, order_release_stock, order_return_stock

logger = logging.getLogger(__name__)

S = OrderStatus
PURPOSE_ORDER = "order"
_SNAP_ITEM_NAME_MAX = 50  # Midtrans rejects longer item names


def order_payments(order: Order):
    from commerce.payments.models import Payment

    return Payment.objects.filter(purpose=PURPOSE_ORDER, reference=order.number).order_by("-created_at", "-pk")


def order_payment_current(order: Order):
    """Return the order's latest payment, or None."""
    return order_payments(order).first()


def order_payment_paid(order: Order):
    return order_payments(order).filter(status__in=["paid", "partially_refunded"]).first()


def _snap_items(order: Order) -> list[dict]:
    items = [
        {
            "id": (line.sku or str(line.variant_id))[:50],
            "price": line.unit_price,
            "quantity": line.quantity,
            "name": f"{line.product_name} {line.variant_name}".strip()[:_SNAP_ITEM_NAME_MAX],
        }
        for line in order.lines.all()
    ]
    if order.delivery_fee:
        items.append({"id": "ONGKIR", "price": order.delivery_fee, "quantity": 1,
                      "name": (_("Delivery to %(kecamatan)s") % {"kecamatan": order.address_kecamatan})[:_SNAP_ITEM_NAME_MAX]})
    return items


@transaction.atomic
def order_payment_start(*, order: Order):
    """Return the order's pending Snap payment, starting one with Midtrans if it has none (once per order)."""
    from commerce.payments.services import payment_start_snap

    order = order_lock(order)
    if order.status != S.UNPAID:
        raise InvalidTransition(
            _("Order %(number)s is “%(status)s”: there is nothing to pay.")
            % {"number": order.number, "status": order.get_status_display()}
        )
    current = order_payments(order).filter(status="pending", method="snap").first()
    if current is not None and (current.snap_token or current.redirect_url):
        return current
    minutes = settings.CHECKOUT_RESERVATION_MINUTES
    if order.expires_at:
        from django.utils import timezone

        minutes = max(1, int((order.expires_at - timezone.now()).total_seconds() // 60))
    return payment_start_snap(
        purpose=PURPOSE_ORDER, reference=order.number, gross_amount=order.total, customer_name=order.name,
        phone=order.phone, email=order.email, items=_snap_items(order), expiry_minutes=minutes,
    )


def order_payment_cancel_pending(*, order: Order) -> None:
    """Cancel the order's pending payments at Midtrans (inside the caller's transaction)."""
    from commerce.payments.exceptions import PaymentError
    from commerce.payments.services import payment_cancel

    for payment in order_payments(order).filter(status="pending"):
        try:
            payment_cancel(payment=payment)
        except PaymentError as exc:
            # A payment Midtrans never heard of (no method chosen yet) cannot be cancelled there; it simply lapses.
            logger.info("Cancelling payment %s of order %s at Midtrans: %s", payment.pk, order.number, exc)


def payment_refund_call(*, payment, amount: int, reason: str, user=None):
    from commerce.payments.exceptions import PaymentError
    from commerce.payments.services import payment_refund

    try:
        return payment_refund(payment=payment, amount=amount, reason=reason, user=user)
    except PaymentError as exc:
        raise DomainError(exc.message, code=getattr(exc, "code", CommerceErrorCode.GATEWAY_UNAVAILABLE), field="amount") from exc


def order_payment_changed(payment, previous_status: str) -> None:
    """Move the order of `payment` after its status changed (the payments app calls this in its transaction)."""
    order = Order.objects.select_for_update().filter(number=payment.reference).first()
    if order is None:
        logger.warning("Payment %s refers to unknown order %s", payment.pk, payment.reference)
        return
    status = payment.status
    if status == "paid":
        _on_paid(order, payment, previous_status)
    elif status in ("expired", "failed", "cancelled"):
        _on_not_paid(order, payment, previous_status)
    elif status in ("refunded", "partially_refunded"):
        _on_refunded(order, payment)
    elif status == "chargeback":
        order_flag(order=order, reason=_("Chargeback on payment %(id)s.") % {"id": payment.midtrans_order_id})
    elif status == "challenge":
        order_flag(order=order, reason=_("Midtrans is reviewing payment %(id)s (fraud challenge).") % {"id": payment.midtrans_order_id})


def _on_paid(order: Order, payment, previous_status: str) -> None:
    if payment.gross_amount != order.total:
        order_flag(order=order, reason=_("Payment %(id)s is for %(paid)s but the order totals %(total)s.") % {
            "id": payment.midtrans_order_id, "paid": format_rupiah(payment.gross_amount), "total": format_rupiah(order.total)})
        return
    if order.status == S.UNPAID:
        problem = order_commit_stock(order=order)
        if problem:
            order_flag(order=order, reason=problem)
        order_transition(order=order, to_status=S.PAID, message=_("Paid with Midtrans (%(id)s).") % {"id": payment.midtrans_order_id})
        if order.visit_id:
            visit_mark_purchase(visit_id=order.visit_id)
        return
    if order.status in (S.EXPIRED, S.CANCELLED):
        was = order.get_status_display()
        problem = order_commit_stock(order=order)
        order_flag(order=order, reason=_("Paid after the order was “%(was)s”. %(stock)s") % {
            "was": was, "stock": problem or _("Stock was taken again; check the order before handing it over.")})
        order_transition(order=order, to_status=S.PAID, message=_("Late payment (%(id)s).") % {"id": payment.midtrans_order_id})
        if order.visit_id:
            visit_mark_purchase(visit_id=order.visit_id)
        return
    # Already paid: either the same payment came back (settlement → deny → settlement) or a second payment.
    other_paid = order_payments(order).filter(status__in=["paid", "partially_refunded"]).exclude(pk=payment.pk).exists()
    if other_paid:
        order_flag(order=order, reason=_("Paid twice: payment %(id)s came in for an order that was already paid; refund one.")
                   % {"id": payment.midtrans_order_id})
    else:
        OrderEvent.objects.create(order=order, type=OrderEventType.NOTE,
                                  message=_("Payment %(id)s is paid again.") % {"id": payment.midtrans_order_id})


def _on_not_paid(order: Order, payment, previous_status: str) -> None:
    if order.status == S.UNPAID:
        if order_payments(order).filter(status="pending").exclude(pk=payment.pk).exists():
            return  # another payment attempt of this order is still open
        order_release_stock(order=order)
        if payment.status == "expired":
            order_transition(order=order, to_status=S.EXPIRED)
        else:
            order_transition(order=order, to_status=S.CANCELLED, message=_("The payment failed or was cancelled."))
        return
    if previous_status == "paid":
        order_flag(order=order, reason=_("Payment %(id)s was paid and is now “%(status)s”: do not hand the order over before checking.")
                   % {"id": payment.midtrans_order_id, "status": payment.get_status_display()})


def _on_refunded(order: Order, payment) -> None:
    refunded = min(order.total, sum(order_payments(order).values_list("refunded_amount", flat=True)))
    if refunded <= order.refunded_amount and order.status in (S.REFUNDED,):
        return
    order.refunded_amount = refunded
    order.save(update_fields=["refunded_amount", "updated_at"])
    target = S.REFUNDED if refunded >= order.total else S.PARTIALLY_REFUNDED
    if target == S.REFUNDED and order.status in GOODS_AT_CAFE:
        order_return_stock(order=order)
    if order.status == S.UNPAID or not order_can_transition(order, target):
        order_flag(order=order, reason=_("Refund of %(amount)s on an order that was “%(status)s”.")
                   % {"amount": format_rupiah(refunded), "status": order.get_status_display()})
        return
    order_transition(order=order, to_status=target, message=_("Refunded %(amount)s in total.") % {"amount": format_rupiah(refunded)})

