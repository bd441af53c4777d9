"""GraphQL types of the storefront: checkout (cart), orders and their history."""

from __future__ import annotations

import graphene
from graphene import relay
from graphene_django import DjangoObjectType
from graphql_relay import to_global_id

from accounts.selectors import outlets_for_user
from commerce.models import Checkout, CheckoutLine, Order, OrderEvent, OrderLine
from commerce.selectors import checkout_lines_with_variants, checkout_pickup_options, delivery_fees_active

from ..accounts.types import OutletType
from ..core.types import CountableConnection, Money


def checkout_global_id(checkout: Checkout) -> str:
    return to_global_id("Checkout", str(checkout.token))


class CheckoutLineType(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant_id = graphene.ID(required=True, description="Global id of the product variant.")
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(Money, required=True)
    total_price = graphene.Field(Money, required=True)

    class Meta:
        name = "CheckoutLine"

    @staticmethod
    def from_line(line: CheckoutLine):
        return CheckoutLineType(
            id=to_global_id("CheckoutLine", line.pk),
            variant_id=to_global_id("ProductVariant", line.variant_id),
            product_name=line.variant.product.name,
            variant_name=line.variant.name,
            quantity=line.quantity,
            unit_price=Money.of(line.variant.price),
            total_price=Money.of(line.variant.price * line.quantity),
        )


class MissingLineType(graphene.ObjectType):
    variant_id = graphene.ID(required=True)
    product_name = graphene.String(required=True)
    wanted = graphene.Int(required=True)
    available = graphene.Int(required=True)

    class Meta:
        name = "PickupMissingLine"


class PickupOptionType(graphene.ObjectType):
    outlet = graphene.Field(OutletType, required=True)
    has_everything = graphene.Boolean(required=True, description="Every line of the cart is in stock at this café.")
    missing = graphene.List(graphene.NonNull(MissingLineType), required=True)

    class Meta:
        name = "PickupOption"


class DeliveryFeeType(graphene.ObjectType):
    kecamatan = graphene.String(required=True)
    fee = graphene.Field(Money, required=True)

    class Meta:
        name = "DeliveryFee"


class DeliveryAddressType(graphene.ObjectType):
    street = graphene.String(required=True)
    rt_rw = graphene.String(required=True)
    desa = graphene.String(required=True)
    kecamatan = graphene.String(required=True)
    postcode = graphene.String(required=True)
    note = graphene.String(required=True)

    class Meta:
        name = "DeliveryAddress"


class CheckoutType(graphene.ObjectType):
    """A cart. Its id contains its secret token: whoever holds the id can use an anonymous cart."""

    id = graphene.ID(required=True)
    status = graphene.String(required=True)
    name = graphene.String(required=True)
    phone = graphene.String(required=True)
    email = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(CheckoutLineType), required=True)
    quantity = graphene.Int(required=True)
    subtotal = graphene.Field(Money, required=True)
    delivery_method = graphene.String(description="pickup or delivery, once chosen.")
    pickup_outlet = graphene.Field(OutletType)
    delivery_address = graphene.Field(DeliveryAddressType)
    delivery_fee = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    reserved_until = graphene.DateTime(description="Until when the stock is held for this cart.")
    pickup_options = graphene.List(graphene.NonNull(PickupOptionType), required=True)
    delivery_fees = graphene.List(graphene.NonNull(DeliveryFeeType), required=True)

    class Meta:
        name = "Checkout"

    @staticmethod
    def _lines(root: Checkout):
        if not hasattr(root, "_gql_lines"):
            root._gql_lines = checkout_lines_with_variants(root)
        return root._gql_lines

    def resolve_id(root, info):
        return checkout_global_id(root)

    def resolve_lines(root, info):
        return [CheckoutLineType.from_line(line) for line in CheckoutType._lines(root)]

    def resolve_quantity(root, info):
        return sum(line.quantity for line in CheckoutType._lines(root))

    def resolve_subtotal(root, info):
        return Money.of(sum(line.quantity * line.variant.price for line in CheckoutType._lines(root)))

    def resolve_delivery_method(root, info):
        return root.delivery_method or None

    def resolve_pickup_outlet(root, info):
        return root.pickup_outlet if root.pickup_outlet_id else None

    def resolve_delivery_address(root, info):
        if root.delivery_method != "delivery":
            return None
        return DeliveryAddressType(
            street=root.address_street,
            rt_rw=root.address_rt_rw,
            desa=root.address_desa,
            kecamatan=root.address_kecamatan,
            postcode=root.address_postcode,
            note=root.address_note,
        )

    @staticmethod
    def _fee(root) -> int:
        if root.delivery_method != "delivery":
            return 0
        return (
            delivery_fees_active().filter(kecamatan=root.address_kecamatan).values_list("fee", flat=True).first() or 0
        )

    def resolve_delivery_fee(root, info):
        return Money.of(CheckoutType._fee(root))

    def resolve_total(root, info):
        subtotal = sum(line.quantity * line.variant.price for line in CheckoutType._lines(root))
        return Money.of(subtotal + CheckoutType._fee(root))

    def resolve_reserved_until(root, info):
        return root.reservation.expires_at if root.reservation_id else None

    def resolve_pickup_options(root, info):
        options = checkout_pickup_options(CheckoutType._lines(root))
        return [
            PickupOptionType(
                outlet=option.outlet,
                has_everything=option.has_everything,
                missing=[
                    MissingLineType(
                        variant_id=to_global_id("ProductVariant", line.variant_id),
                        product_name=line.variant.product.name,
                        wanted=line.quantity,
                        available=available,
                    )
                    for line, available in option.missing
                ],
            )
            for option in options
        ]

    def resolve_delivery_fees(root, info):
        return [DeliveryFeeType(kecamatan=f.kecamatan, fee=Money.of(f.fee)) for f in delivery_fees_active()]


class OrderPaymentType(graphene.ObjectType):
    """The Midtrans payment of an order, as the shopper needs it to pay."""

    midtrans_order_id = graphene.String(required=True)
    status = graphene.String(required=True)
    gross_amount = graphene.Field(Money, required=True)
    token = graphene.String(description="Snap token (for snap.js).")
    redirect_url = graphene.String(description="Snap payment page.")
    expires_at = graphene.DateTime()

    class Meta:
        name = "OrderPayment"

    @staticmethod
    def of(payment):
        if payment is None:
            return None
        return OrderPaymentType(
            midtrans_order_id=payment.midtrans_order_id,
            status=payment.status,
            gross_amount=Money.of(payment.gross_amount),
            token=payment.snap_token or None,
            redirect_url=payment.redirect_url or None,
            expires_at=payment.expires_at,
        )


class OrderLineType(DjangoObjectType):
    id = graphene.ID(required=True, description="Names the line in `orderRestock`.")
    unit_price = graphene.Field(Money, required=True)
    total_price = graphene.Field(Money, required=True)

    class Meta:
        model = OrderLine
        name = "OrderLine"
        fields = ("product_name", "variant_name", "sku", "quantity", "restocked_quantity")

    def resolve_id(root, info):
        return to_global_id("OrderLine", root.pk)

    def resolve_unit_price(root, info):
        return Money.of(root.unit_price)

    def resolve_total_price(root, info):
        return Money.of(root.line_total)


class OrderEventNode(DjangoObjectType):
    type = graphene.String(required=True)
    from_status = graphene.String()
    to_status = graphene.String()
    user = graphene.String(description="Who made the change (staff name), or null for the shopper or Midtrans.")

    class Meta:
        model = OrderEvent
        name = "OrderEvent"
        fields = ("created_at", "message")

    def resolve_user(root, info):
        viewer = info.context.user
        if root.user_id and viewer.is_authenticated and viewer.has_perm("commerce.view_order"):
            return str(root.user)
        return None

    def resolve_from_status(root, info):
        return root.from_status or None

    def resolve_to_status(root, info):
        return root.to_status or None


def orders_visible_to(user):
    """Orders this user may look up by id: their own, and (staff) those of their cafés."""
    if not user.is_authenticated:
        return Order.objects.none()
    own = Order.objects.filter(user=user)
    if user.has_perm("commerce.view_order"):
        return (own | Order.objects.filter(outlet__in=outlets_for_user(user))).distinct()
    return own


class OrderType(DjangoObjectType):
    status = graphene.String(
        required=True,
        description="unpaid, paid, ready_for_pickup, shipped, completed, cancelled, expired, refunded, partially_refunded.",
    )
    status_display = graphene.String(required=True)
    delivery_method = graphene.String(required=True)
    outlet = graphene.Field(OutletType, required=True)
    subtotal = graphene.Field(Money, required=True)
    delivery_fee = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    refunded_amount = graphene.Field(Money, required=True)
    lines = graphene.List(graphene.NonNull(OrderLineType), required=True)
    events = graphene.List(graphene.NonNull(OrderEventNode), required=True)
    pickup_code = graphene.String(description="For pickup orders once paid: shown as a QR at the café.")
    pickup_qr_payload = graphene.String()
    delivery_address = graphene.String()
    payment = graphene.Field(OrderPaymentType)
    flagged = graphene.Boolean(description="Staff only.")
    flag_reason = graphene.String(description="Staff only.")

    class Meta:
        model = Order
        name = "Order"
        interfaces = (relay.Node,)
        connection_class = CountableConnection
        fields = (
            "id",
            "number",
            "name",
            "phone",
            "email",
            "created_at",
            "paid_at",
            "ready_at",
            "completed_at",
            "expires_at",
        )

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.filter(pk__in=orders_visible_to(info.context.user).values("pk"))

    def resolve_status_display(root, info):
        return root.get_status_display()

    def resolve_outlet(root, info):
        return root.outlet

    def resolve_subtotal(root, info):
        return Money.of(root.subtotal)

    def resolve_delivery_fee(root, info):
        return Money.of(root.delivery_fee)

    def resolve_total(root, info):
        return Money.of(root.total)

    def resolve_refunded_amount(root, info):
        return Money.of(root.refunded_amount)

    def resolve_lines(root, info):
        return root.lines.all()

    def resolve_events(root, info):
        return root.events.all()

    @staticmethod
    def _shopper_sees_code(root, info) -> bool:
        """The pickup code is the shopper's proof at the café: shown to the shopper only, never to staff."""
        user = info.context.user
        is_owner = getattr(root, "_viewer_is_owner", False) or (user.is_authenticated and root.user_id == user.pk)
        return is_owner and root.shows_pickup_code

    def resolve_pickup_code(root, info):
        return root.pickup_code if OrderType._shopper_sees_code(root, info) else None

    def resolve_pickup_qr_payload(root, info):
        return root.pickup_qr_payload if OrderType._shopper_sees_code(root, info) else None

    def resolve_delivery_address(root, info):
        return root.full_address if root.delivery_method == "delivery" else None

    def resolve_payment(root, info):
        from commerce.services.order_payments import order_payment_current

        return OrderPaymentType.of(order_payment_current(root))

    def resolve_flagged(root, info):
        return root.flagged if info.context.user.has_perm("commerce.view_order") else None

    def resolve_flag_reason(root, info):
        return root.flag_reason if info.context.user.has_perm("commerce.view_order") else None
