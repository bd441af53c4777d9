"""The root `node(id:)` field, closed by default.

Relay lets a client fetch any object by its global id. Here a type can be fetched that way only if
it has a rule below saying which of its objects the caller may see; every other type answers null.
So a sale, a shift, a visit or a user is never read by guessing ids (`PosSale:1`, `PosSale:2` …).
"""

from __future__ import annotations

from collections.abc import Callable

import graphene
from graphene import relay
from graphql_relay import from_global_id

from .permissions import user_has_all


def _none(model):
    return model.objects.none()


def _products(user):
    """Listed products for everyone; drafts and the like for their owner, curators and admins."""
    from catalog.selectors import products_listable, products_visible_to

    return (products_listable() | products_visible_to(user)).distinct()


def _variants(user):
    from catalog.models import ProductVariant

    return ProductVariant.objects.filter(product__in=_products(user))


def _outlets(user):
    from accounts.selectors import outlets_active

    return outlets_active()


def _categories(user):
    from catalog.models import Category

    return Category.objects.all()


def _vendors(user):
    from catalog.models import Vendor

    return Vendor.objects.filter(is_active=True)


def _agencies(user):
    from services_desk.models import Agency

    return Agency.objects.all()


def _services(user):
    from services_desk.selectors import services_active

    return services_active()


def _slots(user):
    from services_desk.models import AppointmentSlot

    return AppointmentSlot.objects.all()


def _orders(user):
    from graphql_api.commerce.types import orders_visible_to

    return orders_visible_to(user)


def _payments(user):
    from commerce.payments.models import Payment

    return Payment.objects.all() if user_has_all(user, ["payments.view_payment"]) else _none(Payment)


def _users(user):
    from accounts.models import User

    return User.objects.filter(pk=user.pk) if user.is_authenticated else _none(User)


def _pos(selector: str, permission: str, model: str):
    def rule(user):
        from pos import models, selectors

        if not user_has_all(user, [permission]):
            return _none(getattr(models, model))
        return getattr(selectors, selector)(user)

    return rule


def _settlements(user):
    from commerce.settlements import settlement_statements_for

    return settlement_statements_for(user)


def _transfers(user):
    from catalog.selectors import transfers_for_user

    return transfers_for_user(user)


# GraphQL type name → who may fetch which objects of it by global id.
NODE_RULES: dict[str, Callable] = {
    "Outlet": _outlets,
    "Category": _categories,
    "Vendor": _vendors,
    "Product": _products,
    "ProductVariant": _variants,
    "Agency": _agencies,
    "Service": _services,
    "AppointmentSlot": _slots,
    "Order": _orders,
    "Payment": _payments,
    "User": _users,
    "PosTerminal": _pos("terminals_for_user", "pos.view_terminal", "Terminal"),
    "PosShift": _pos("shifts_for_user", "pos.view_shift", "Shift"),
    "PosSale": _pos("sales_for_user", "pos.view_sale", "Sale"),
    "SettlementStatement": _settlements,
    "StockTransfer": _transfers,
}


def resolve_node(root, info, id):
    try:
        type_name, pk = from_global_id(id)
        pk = int(pk)
    except Exception:  # not a global id of ours: nothing to show
        return None
    rule = NODE_RULES.get(type_name)
    if rule is None:
        return None
    return rule(info.context.user).filter(pk=pk).first()


def node_field() -> graphene.Field:
    return graphene.Field(
        relay.Node,
        id=graphene.ID(required=True, description="The ID of the object"),
        description="An object by its global id, if it is one the caller may see; otherwise null.",
        resolver=resolve_node,
    )
