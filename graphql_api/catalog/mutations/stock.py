"""stockDeliveryCreate, stockDeliveryReceive, stockAdjust: consignment stock at the cafés (transfers: ../transfers.py)."""

import graphene
from django.core.exceptions import PermissionDenied

from accounts.models import Outlet
from accounts.selectors import outlets_for_user, user_can_act_at_outlet
from catalog.error_codes import CatalogErrorCode
from catalog.models import ProductVariant, StockDelivery
from catalog.selectors import vendors_for_user
from catalog.services.deliveries import DeliveryLineInput, stock_delivery_create, stock_delivery_receive
from catalog.services.stock import stock_adjust

from ...core.ids import decode_id, get_node_or_error
from ...core.mutations import BaseMutation
from ..enums import AdjustmentReasonEnum
from ..types import StockDeliveryType, StockMovementType, StockType


class StockDeliveryLineInput(graphene.InputObjectType):
    variant = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    batch_code = graphene.String()
    expires_on = graphene.Date(description="Best-before date of this batch.")


class StockReceiveLineInput(graphene.InputObjectType):
    line = graphene.ID(required=True)
    quantity_received = graphene.Int(required=True)


def _outlet(info, global_id, field="outlet"):
    return get_node_or_error(
        global_id, queryset=outlets_for_user(info.context.user), expected_type="Outlet", field=field
    )


class StockDeliveryCreate(BaseMutation):
    """Record consigned goods a UMKM brings to a café (the owner); stock changes when the café confirms receipt."""

    delivery = graphene.Field(StockDeliveryType)

    class Arguments:
        vendor = graphene.ID(required=True)
        outlet = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(StockDeliveryLineInput), required=True)
        note = graphene.String(default_value="")

    class Meta:
        permissions = ("catalog.deliver_stock",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, vendor, outlet, lines, note):
        vendor_obj = get_node_or_error(
            vendor, queryset=vendors_for_user(info.context.user), expected_type="Vendor", field="vendor"
        )
        outlet_obj = get_node_or_error(
            outlet, queryset=Outlet.objects.filter(is_active=True), expected_type="Outlet", field="outlet"
        )
        inputs = [
            DeliveryLineInput(
                variant_id=decode_id(line.variant, expected_type="ProductVariant", field="lines"),
                quantity=line.quantity,
                batch_code=line.get("batch_code") or "",
                expires_on=line.get("expires_on"),
            )
            for line in lines
        ]
        delivery = stock_delivery_create(
            vendor=vendor_obj, outlet=outlet_obj, lines=inputs, user=info.context.user, note=note
        )
        return cls(delivery=delivery)


class StockDeliveryReceive(BaseMutation):
    """Confirm a delivery at the café (outlet manager); lines not listed were received as sent."""

    delivery = graphene.Field(StockDeliveryType)

    class Arguments:
        id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(StockReceiveLineInput), default_value=[])
        note = graphene.String(default_value="", description="Required when a quantity differs from the delivery note.")

    class Meta:
        permissions = ("catalog.receive_stock",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, lines, note):
        user = info.context.user
        qs = StockDelivery.objects.filter(outlet__in=outlets_for_user(user))
        delivery = get_node_or_error(id, queryset=qs, expected_type="StockDelivery", field="id")
        received = {
            decode_id(line.line, expected_type="StockDeliveryLine", field="lines"): line.quantity_received
            for line in lines
        }
        return cls(delivery=stock_delivery_receive(delivery=delivery, received=received, user=user, note=note))


class StockAdjust(BaseMutation):
    """Correct a café's stock by a change, or to a counted quantity (stok opname), with a reason."""

    movement = graphene.Field(StockMovementType)
    stock = graphene.Field(StockType)

    class Arguments:
        outlet = graphene.ID(required=True)
        variant = graphene.ID(required=True)
        reason = AdjustmentReasonEnum(required=True)
        delta = graphene.Int(description="Units added (positive) or written off (negative).")
        counted = graphene.Int(description="Units counted on the shelf.")
        note = graphene.String(default_value="")

    class Meta:
        permissions = ("catalog.adjust_stock",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, outlet, variant, reason, note, delta=None, counted=None):
        outlet_obj = _outlet(info, outlet)
        if not user_can_act_at_outlet(info.context.user, outlet_obj):
            raise PermissionDenied
        variant_obj = get_node_or_error(
            variant,
            queryset=ProductVariant.objects.select_related("product"),
            expected_type="ProductVariant",
            field="variant",
        )
        movement = stock_adjust(
            outlet=outlet_obj,
            variant=variant_obj,
            reason=getattr(reason, "value", reason),
            delta=delta,
            counted=counted,
            note=note,
            user=info.context.user,
        )
        stock = variant_obj.stocks.filter(outlet=outlet_obj).first()
        return cls(movement=movement, stock=stock)


__all__ = ["StockDeliveryCreate", "StockDeliveryReceive", "StockAdjust"]
