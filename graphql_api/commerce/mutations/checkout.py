"""Checkout mutations: create the cart, change its lines, choose pickup or delivery, complete it once."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from accounts.selectors import outlets_active
from commerce.error_codes import CommerceErrorCode
from commerce.selectors import checkout_for_viewer
from commerce.services.checkout import (
    DeliveryAddress,
    LineInput,
    checkout_complete,
    checkout_contact_update,
    checkout_create,
    checkout_delivery_method_update,
    checkout_line_delete,
    checkout_lines_add,
    checkout_lines_update,
)
from core.exceptions import NotFoundError

from ...core.ids import decode_id, get_node_or_error
from ...core.mutations import BaseMutation
from ..types import CheckoutType, OrderPaymentType, OrderType


class CheckoutLineInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True, description="Global id of a ProductVariant.")
    quantity = graphene.Int(required=True)


class CheckoutCreateInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)
    email = graphene.String()
    phone = graphene.String()
    name = graphene.String()


class DeliveryAddressInput(graphene.InputObjectType):
    street = graphene.String(required=True)
    kecamatan = graphene.String(required=True)
    rt_rw = graphene.String()
    desa = graphene.String()
    postcode = graphene.String()
    note = graphene.String()


def _variant_pk(global_id) -> int:
    return decode_id(str(global_id), expected_type="ProductVariant", field="variantId")


def _lines(lines) -> list[LineInput]:
    return [LineInput(variant_id=_variant_pk(line.variant_id), quantity=line.quantity) for line in lines]


def checkout_from_id(info, global_id: str):
    """Return the cart for this id if the caller may use it (a user's cart only by that user)."""
    try:
        type_name, token = from_global_id(global_id)
    except Exception:
        type_name, token = "", ""
    checkout = checkout_for_viewer(token, info.context.user) if type_name == "Checkout" else None
    if checkout is None:
        raise NotFoundError(_("Couldn't resolve id: %(id)s.") % {"id": global_id}, field="id")
    return checkout


class CheckoutCreate(BaseMutation):
    """Start a cart (a logged-in shopper's lines join their open cart)."""

    checkout = graphene.Field(CheckoutType)

    class Arguments:
        input = CheckoutCreateInput(required=True)

    class Meta:
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, input):
        user = info.context.user
        checkout = checkout_create(
            lines=_lines(input.lines), user=user if user.is_authenticated else None,
            email=input.get("email") or "", phone=input.get("phone") or "", name=input.get("name") or "",
        )
        return cls(checkout=checkout)


class CheckoutLinesAdd(BaseMutation):
    """Add products to a cart; quantities add up."""

    checkout = graphene.Field(CheckoutType)

    class Arguments:
        id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    class Meta:
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, lines):
        return cls(checkout=checkout_lines_add(checkout=checkout_from_id(info, id), lines=_lines(lines)))


class CheckoutLinesUpdate(BaseMutation):
    """Set quantities of products in a cart; 0 removes the line."""

    checkout = graphene.Field(CheckoutType)

    class Arguments:
        id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    class Meta:
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, lines):
        return cls(checkout=checkout_lines_update(checkout=checkout_from_id(info, id), lines=_lines(lines)))


class CheckoutLineDelete(BaseMutation):
    """Remove one line from a cart."""

    checkout = graphene.Field(CheckoutType)

    class Arguments:
        id = graphene.ID(required=True)
        line_id = graphene.ID(required=True)

    class Meta:
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, line_id):
        checkout = checkout_from_id(info, id)
        pk = decode_id(line_id, expected_type="CheckoutLine", field="lineId")
        return cls(checkout=checkout_line_delete(checkout=checkout, line_id=pk))


class CheckoutContactUpdate(BaseMutation):
    """Set the name, phone and email the order is for."""

    checkout = graphene.Field(CheckoutType)

    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String()
        phone = graphene.String()
        email = graphene.String()

    class Meta:
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, name=None, phone=None, email=None):
        return cls(checkout=checkout_contact_update(checkout=checkout_from_id(info, id), name=name, phone=phone, email=email))


class CheckoutDeliveryMethodUpdate(BaseMutation):
    """Choose pickup at a café (it must have every line in stock) or delivery to an address in Trenggalek.

    The cart's stock is held from now for CHECKOUT_RESERVATION_MINUTES.
    """

    checkout = graphene.Field(CheckoutType)

    class Arguments:
        id = graphene.ID(required=True)
        pickup_outlet = graphene.ID(description="Global id of the café to pick up at.")
        delivery_address = DeliveryAddressInput()

    class Meta:
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, pickup_outlet=None, delivery_address=None):
        checkout = checkout_from_id(info, id)
        outlet = None
        if pickup_outlet:
            outlet = get_node_or_error(pickup_outlet, queryset=outlets_active(), expected_type="Outlet", field="pickupOutlet")
        address = None
        if delivery_address is not None:
            address = DeliveryAddress(
                street=delivery_address.street, kecamatan=delivery_address.kecamatan,
                rt_rw=delivery_address.get("rt_rw") or "", desa=delivery_address.get("desa") or "",
                postcode=delivery_address.get("postcode") or "", note=delivery_address.get("note") or "",
            )
        return cls(checkout=checkout_delivery_method_update(checkout=checkout, pickup_outlet=outlet, delivery_address=address))


class CheckoutComplete(BaseMutation):
    """Place the order and start its Snap payment. Calling it again for the same cart returns the same order."""

    order = graphene.Field(OrderType)
    payment = graphene.Field(OrderPaymentType)
    order_token = graphene.String(description="Opens the order page without logging in: keep it secret.")

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id):
        checkout = checkout_from_id(info, id)
        user = info.context.user
        result = checkout_complete(checkout=checkout, user=user if user.is_authenticated else None)
        result.order._viewer_is_owner = True
        return cls(order=result.order, payment=OrderPaymentType.of(result.payment), order_token=result.order.token)
