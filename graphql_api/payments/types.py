# ruff: noqa: N805  (graphene resolvers take the parent object as `root`)
import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from commerce.payments.models import Payment, PaymentFlagReason, PaymentMethod, PaymentPurpose, PaymentStatus

from ..core.enums import enum_from_choices
from ..core.permissions import user_has_all
from ..core.types import CountableConnection, Money

PaymentStatusEnum = enum_from_choices(PaymentStatus, "PaymentStatusEnum")
PaymentMethodEnum = enum_from_choices(PaymentMethod, "PaymentMethodEnum")
PaymentPurposeEnum = enum_from_choices(PaymentPurpose, "PaymentPurposeEnum")
PaymentFlagReasonEnum = enum_from_choices(PaymentFlagReason, "PaymentFlagReasonEnum")


class PaymentType(DjangoObjectType):
    """A Midtrans payment (Snap or QRIS) of an order or a POS sale."""

    midtrans_order_id = graphene.String(required=True)
    purpose = graphene.Field(PaymentPurposeEnum, required=True)
    method = graphene.Field(PaymentMethodEnum, required=True)
    status = graphene.Field(PaymentStatusEnum, required=True)
    status_display = graphene.String(required=True, description="The status in the reader's language.")
    gross_amount = graphene.Field(Money, required=True)
    refunded_amount = graphene.Field(Money, required=True)
    redirect_url = graphene.String(description="Snap: where the shopper pays.")
    token = graphene.String(description="Snap: the token for snap.js.")
    qr_string = graphene.String(description="QRIS: the string to show as a QR code.")
    qr_image_url = graphene.String(description="QRIS: Midtrans' image of the QR code.")
    flagged = graphene.Boolean(required=True)
    flag_reason = graphene.Field(PaymentFlagReasonEnum)
    is_simulated = graphene.Boolean(
        required=True, description="True when the built-in Midtrans simulator plays the gateway."
    )

    class Meta:
        model = Payment
        name = "Payment"
        interfaces = (relay.Node,)
        connection_class = CountableConnection
        fields = ("id", "reference", "transaction_id", "payment_type", "expires_at", "paid_at", "created_at")

    @classmethod
    def get_node(cls, info, id):
        # Reached through `node(id:)`: staff only. Orders and sales expose their own payments.
        if not user_has_all(info.context.user, ["payments.view_payment"]):
            return None
        return super().get_node(info, id)

    def resolve_purpose(root, info):
        return str(root.purpose)

    def resolve_method(root, info):
        return str(root.method)

    def resolve_status(root, info):
        return str(root.status)

    def resolve_status_display(root, info):
        return root.get_status_display()

    def resolve_gross_amount(root, info):
        return Money.of(root.gross_amount)

    def resolve_refunded_amount(root, info):
        return Money.of(root.refunded_amount)

    def resolve_redirect_url(root, info):
        return root.redirect_url or None

    def resolve_token(root, info):
        return root.snap_token or None

    def resolve_qr_string(root, info):
        return root.qr_string or None

    def resolve_qr_image_url(root, info):
        return root.qr_image_url or None

    def resolve_flag_reason(root, info):
        return str(root.flag_reason) if root.flag_reason else None

    def resolve_is_simulated(root, info):
        from commerce.payments.midtrans_client import simulator_enabled

        return simulator_enabled()
