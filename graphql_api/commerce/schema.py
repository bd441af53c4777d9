import graphene
from django.utils.translation import gettext as _
from graphene_django import DjangoConnectionField

from commerce.models import OrderStatus
from commerce.selectors import order_for_viewer, orders_for_staff, orders_of_user

from ..core.permissions import require_login, require_permissions
from .mutations.checkout import (
    CheckoutComplete,
    CheckoutContactUpdate,
    CheckoutCreate,
    CheckoutDeliveryMethodUpdate,
    CheckoutLineDelete,
    CheckoutLinesAdd,
    CheckoutLinesUpdate,
    checkout_from_id,
)
from .mutations.orders import OrderCancel, OrderHandOver, OrderMarkReady, OrderRefund, OrderRestock
from .types import CheckoutType, OrderType


class CommerceQueries(graphene.ObjectType):
    checkout = graphene.Field(CheckoutType, id=graphene.ID(required=True), description="A cart by its id.")
    order = graphene.Field(
        OrderType,
        number=graphene.String(required=True),
        token=graphene.String(),
        description="An order, for its owner (logged in), with its token, or for staff of its café; else null.",
    )
    orders = DjangoConnectionField(
        OrderType,
        status=graphene.String(),
        outlet=graphene.ID(),
        flagged=graphene.Boolean(),
        description="Orders of the caller's cafés (staff).",
    )
    my_orders = DjangoConnectionField(OrderType, description="The logged-in shopper's orders.")

    def resolve_checkout(root, info, id):
        from core.exceptions import NotFoundError

        try:
            return checkout_from_id(info, id)
        except NotFoundError:
            return None

    def resolve_order(root, info, number, token=None):
        user = info.context.user
        order = order_for_viewer(number=number, user=user, token=token)
        if order is not None:
            order._viewer_is_owner = bool(token and token == order.token) or (
                user.is_authenticated and order.user_id == user.pk
            )
        return order

    def resolve_orders(root, info, status=None, outlet=None, flagged=None, **kwargs):
        require_permissions(info, ["commerce.view_order"])
        orders = orders_for_staff(info.context.user).prefetch_related("lines", "events__user")
        if status:
            if status.lower() not in OrderStatus.values:
                raise ValueError(_("Unknown status."))
            orders = orders.filter(status=status.lower())
        if outlet:
            from ..core.ids import decode_id

            orders = orders.filter(outlet_id=decode_id(outlet, expected_type="Outlet", field="outlet"))
        if flagged is not None:
            orders = orders.filter(flagged=flagged)
        return orders

    def resolve_my_orders(root, info, **kwargs):
        require_login(info)
        return orders_of_user(info.context.user).prefetch_related("lines", "events")


class CommerceMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_lines_update = CheckoutLinesUpdate.Field()
    checkout_line_delete = CheckoutLineDelete.Field()
    checkout_contact_update = CheckoutContactUpdate.Field()
    checkout_delivery_method_update = CheckoutDeliveryMethodUpdate.Field()
    checkout_complete = CheckoutComplete.Field()
    order_mark_ready = OrderMarkReady.Field()
    order_hand_over = OrderHandOver.Field()
    order_cancel = OrderCancel.Field()
    order_refund = OrderRefund.Field()
    order_restock = OrderRestock.Field()
