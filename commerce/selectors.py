"""Read queries of the storefront: carts with their products, café availability, orders for each kind of viewer."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from accounts.models import Outlet
from accounts.selectors import outlets_for_user

from .models import Checkout, CheckoutLine, CheckoutStatus, DeliveryFee, Order, OrderEvent


def checkout_lines_with_variants(checkout: Checkout) -> list[CheckoutLine]:
    return list(
        CheckoutLine.objects.filter(checkout=checkout)
        .select_related("variant__product__vendor")
        .order_by("created_at", "pk")
    )


def checkout_by_token(token) -> Checkout | None:
    """Return the open cart with this token, or None (also for a malformed token)."""
    import uuid

    try:
        value = uuid.UUID(str(token))
    except (TypeError, ValueError, AttributeError):
        return None
    return Checkout.objects.filter(token=value).select_related("pickup_outlet", "stock_outlet").first()


def checkout_for_viewer(token, user) -> Checkout | None:
    """Return the cart with this token if this viewer may use it: anonymous carts by token, a user's cart only by them."""
    checkout = checkout_by_token(token)
    if checkout is None:
        return None
    if checkout.user_id and (not user or not user.is_authenticated or user.pk != checkout.user_id):
        return None
    return checkout


def checkout_open_for_user(user) -> Checkout | None:
    if not user.is_authenticated:
        return None
    return Checkout.objects.filter(user=user, status=CheckoutStatus.OPEN).first()


def checkout_totals(lines: list[CheckoutLine]) -> dict:
    subtotal = sum(line.quantity * line.variant.price for line in lines)
    return {"subtotal": subtotal, "quantity": sum(line.quantity for line in lines)}


def sales_outlets() -> QuerySet[Outlet]:
    return Outlet.objects.filter(is_active=True, offers_sales=True).order_by("level", "name")


def available_by_outlet(variant_ids, outlets: list[Outlet]) -> dict[int, dict[int, int]]:
    """Return {outlet_id: {variant_id: available}} (on hand − active holds) at these cafés, in two queries."""
    from django.db.models import Sum
    from django.utils import timezone

    from catalog.models import ReservationLine, ReservationStatus, Stock

    ids, outlet_ids = list(variant_ids), [o.pk for o in outlets]
    result: dict[int, dict[int, int]] = {pk: {} for pk in outlet_ids}
    if not ids or not outlet_ids:
        return result
    for outlet_id, variant_id, quantity in Stock.objects.filter(outlet_id__in=outlet_ids, variant_id__in=ids).values_list(
        "outlet_id", "variant_id", "quantity"
    ):
        result[outlet_id][variant_id] = quantity
    held = (
        ReservationLine.objects.filter(
            reservation__outlet_id__in=outlet_ids, reservation__status=ReservationStatus.ACTIVE,
            reservation__expires_at__gt=timezone.now(), variant_id__in=ids,
        )
        .values("reservation__outlet_id", "variant_id")
        .annotate(total=Sum("quantity"))
        .values_list("reservation__outlet_id", "variant_id", "total")
    )
    for outlet_id, variant_id, total in held:
        result[outlet_id][variant_id] = result[outlet_id].get(variant_id, 0) - total
    return {oid: {vid: max(qty, 0) for vid, qty in per.items()} for oid, per in result.items()}


@dataclass
class PickupOption:
    outlet: Outlet
    missing: list[tuple[CheckoutLine, int]] = field(default_factory=list)  # (line, available there)

    @property
    def has_everything(self) -> bool:
        return not self.missing


def checkout_pickup_options(lines: list[CheckoutLine]) -> list[PickupOption]:
    """Return every café that sells, each with the cart lines it lacks (and how many it has of them)."""
    outlets = list(sales_outlets())
    available = available_by_outlet({line.variant_id for line in lines}, outlets)
    options = []
    for outlet in outlets:
        stock = available.get(outlet.pk, {})
        missing = [(line, stock.get(line.variant_id, 0)) for line in lines if stock.get(line.variant_id, 0) < line.quantity]
        options.append(PickupOption(outlet=outlet, missing=missing))
    return options


def outlets_with_all_lines(lines: list[CheckoutLine]) -> list[Outlet]:
    return [option.outlet for option in checkout_pickup_options(lines) if option.has_everything]


def delivery_fees_active() -> QuerySet[DeliveryFee]:
    return DeliveryFee.objects.filter(is_active=True).order_by("kecamatan")


def _order_queryset() -> QuerySet[Order]:
    return Order.objects.select_related("outlet").prefetch_related(
        "lines", Prefetch("events", queryset=OrderEvent.objects.select_related("user").order_by("created_at", "pk"))
    )


def order_for_viewer(*, number: str, user=None, token: str | None = None) -> Order | None:
    """Return the order if the viewer owns it, holds its token, or is staff of its café; else None."""
    order = _order_queryset().filter(number=(number or "").strip().upper()).first()
    if order is None:
        return None
    if token and hmac.compare_digest(str(token), order.token):
        return order
    if user is not None and user.is_authenticated:
        if order.user_id == user.pk:
            return order
        if user.has_perm("commerce.view_order") and outlets_for_user(user).filter(pk=order.outlet_id).exists():
            return order
    return None


def orders_of_user(user) -> QuerySet[Order]:
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(user=user).select_related("outlet").order_by("-created_at")


def orders_for_staff(user) -> QuerySet[Order]:
    """Return the orders of the cafés where this staff member works (none without `commerce.view_order`)."""
    if not user.is_authenticated or not user.has_perm("commerce.view_order"):
        return Order.objects.none()
    return Order.objects.filter(outlet__in=outlets_for_user(user)).select_related("outlet").order_by("-created_at")
