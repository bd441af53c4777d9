"""Messages to shoppers about their orders, sent through `core.messaging` after the change commits."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.messaging import message_send
from core.money import format_rupiah

from .models import DeliveryMethod, Order, OrderStatus


def _status_sentence(order: Order) -> str:
    S = OrderStatus
    sentences = {
        S.UNPAID: _("Your order is placed. Please pay %(total)s before %(deadline)s."),
        S.PAID: _("We received your payment of %(total)s. The café is packing your order."),
        S.READY_FOR_PICKUP: _("Your order is ready for pickup at %(outlet)s. Show the pickup code %(code)s."),
        S.SHIPPED: _("Your order is on its way to %(address)s."),
        S.COMPLETED: _("Your order is complete. Thank you for buying local UMKM products!"),
        S.CANCELLED: _("Your order was cancelled."),
        S.EXPIRED: _("The payment time for your order ran out; the order was cancelled."),
        S.REFUNDED: _("Your order was refunded (%(refunded)s)."),
        S.PARTIALLY_REFUNDED: _("Part of your order was refunded (%(refunded)s)."),
    }
    from django.utils import timezone

    deadline = timezone.localtime(order.expires_at).strftime("%d/%m/%Y %H.%M WIB") if order.expires_at else ""
    return sentences[order.status] % {
        "total": format_rupiah(order.total), "deadline": deadline, "outlet": order.outlet.name,
        "code": order.pickup_code if order.delivery_method == DeliveryMethod.PICKUP else "",
        "address": order.full_address, "refunded": format_rupiah(order.refunded_amount),
    }


def order_notify_status(*, order_id: int) -> bool:
    """Send the shopper the order's current status with the link to its page. Return whether it was sent."""
    order = Order.objects.select_related("outlet").filter(pk=order_id).first()
    if order is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Order %(number)s: %(status)s") % {"number": order.number, "status": order.get_status_display()}
        body = f"{_status_sentence(order)}\n{settings.SITE_URL}{order.get_absolute_url()}"
    return message_send(subject=subject, body=body, phone=order.phone, email=order.email)
