"""Order mutations for café staff (ready, hand over, refund) and for the shopper or staff (cancel unpaid)."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from accounts.selectors import outlets_for_user
from commerce.error_codes import CommerceErrorCode
from commerce.selectors import order_for_viewer, orders_for_staff
from commerce.services.orders import order_cancel, order_hand_over, order_mark_ready, order_refund, order_restock
from core.exceptions import NotFoundError

from ...core.ids import decode_id
from ...core.mutations import BaseMutation
from ..types import OrderType


def _staff_order(info, number: str):
    order = orders_for_staff(info.context.user).filter(number=(number or "").strip().upper()).first()
    if order is None:
        raise NotFoundError(_("Order not found."), field="number")
    return order


class OrderMarkReady(BaseMutation):
    """Tell the shopper their pickup order waits at the café."""

    order = graphene.Field(OrderType)

    class Arguments:
        number = graphene.String(required=True)

    class Meta:
        permissions = ("commerce.view_order", "commerce.fulfil_order")
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, number):
        return cls(order=order_mark_ready(order=_staff_order(info, number), user=info.context.user))


class OrderHandOver(BaseMutation):
    """Complete a pickup order by its pickup code (typed, or the scanned QR payload) at one of the caller's cafés."""

    order = graphene.Field(OrderType)

    class Arguments:
        pickup_code = graphene.String(required=True)

    class Meta:
        permissions = ("commerce.view_order", "commerce.fulfil_order")
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, pickup_code):
        user = info.context.user
        return cls(order=order_hand_over(pickup_code=pickup_code, user=user, outlets=outlets_for_user(user)))


class OrderCancel(BaseMutation):
    """Cancel an unpaid order: its owner (login or token) or staff of its café."""

    order = graphene.Field(OrderType)

    class Arguments:
        number = graphene.String(required=True)
        token = graphene.String()

    class Meta:
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, number, token=None):
        user = info.context.user
        order = order_for_viewer(number=number, user=user, token=token)
        if order is None:
            raise NotFoundError(_("Order not found."), field="number")
        is_owner = bool(token and token == order.token) or (user.is_authenticated and order.user_id == user.pk)
        if not is_owner and not user.has_perm("commerce.fulfil_order"):
            raise NotFoundError(_("Order not found."), field="number")
        order = order_cancel(order=order, user=user, reason=_("Cancelled by the shopper.") if is_owner else "")
        order._viewer_is_owner = is_owner
        return cls(order=order)


class OrderRefund(BaseMutation):
    """Refund all or part of a paid order through Midtrans."""

    order = graphene.Field(OrderType)

    class Arguments:
        number = graphene.String(required=True)
        amount = graphene.Int(required=True, description="Whole rupiah.")
        reason = graphene.String()

    class Meta:
        permissions = ("commerce.view_order", "commerce.refund_order")
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, number, amount, reason=""):
        order = _staff_order(info, number)
        return cls(order=order_refund(order=order, amount=amount, user=info.context.user, reason=reason or ""))


class OrderRestockLineInput(graphene.InputObjectType):
    line = graphene.ID(required=True, description="An order line (`Order.lines.id`).")
    quantity = graphene.Int(required=True)


class OrderRestock(BaseMutation):
    """Put units of a paid order back on the café's shelf (returned by the shopper or never taken).

    The money is refunded separately with `orderRefund`.
    """

    order = graphene.Field(OrderType)

    class Arguments:
        number = graphene.String(required=True)
        lines = graphene.List(graphene.NonNull(OrderRestockLineInput), required=True)
        reason = graphene.String()

    class Meta:
        permissions = ("commerce.view_order", "commerce.refund_order")
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, number, lines, reason=""):
        order = _staff_order(info, number)
        pairs = [
            (decode_id(item["line"], expected_type="OrderLine", field="lines"), item["quantity"]) for item in lines
        ]
        return cls(order=order_restock(order=order, lines=pairs, user=info.context.user, reason=reason or ""))
