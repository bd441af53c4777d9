"""Catalogue types. Lists of products prefetch their relations so a page of N costs a constant number of queries."""

from __future__ import annotations

import graphene
from django.db.models import Prefetch
from graphene import relay
from graphene_django import DjangoObjectType

from catalog.images import THUMBNAIL_SIZES
from catalog.models import (
    Category,
    Permit,
    Product,
    ProductAuditEntry,
    ProductImage,
    ProductVariant,
    Stock,
    StockDelivery,
    StockDeliveryLine,
    StockMovement,
    Vendor,
)
from catalog.selectors import reserved_subquery, user_manages_vendor, user_sees_product_internals

from ..core.ids import decode_id
from ..core.types import CountableConnection, Money
from .enums import PermitTypeEnum, ProductStatusEnum


def selection_mentions(info, field_name: str) -> bool:
    """Whether the operation asks for `field_name` anywhere (to prefetch only what is needed)."""
    stack = list(info.field_nodes)
    fragments = info.fragments
    while stack:
        node = stack.pop()
        if getattr(node, "name", None) is not None and node.name.value == field_name:
            return True
        if node.kind == "fragment_spread":
            stack.append(fragments[node.name.value])
            continue
        if getattr(node, "selection_set", None):
            stack.extend(node.selection_set.selections)
    return False


def variants_prefetch(info) -> Prefetch:
    """Variants of each product; with their stock rows (reserved units annotated) when availability is asked."""
    qs = ProductVariant.objects.filter(is_active=True).order_by("position", "pk")
    if selection_mentions(info, "quantityAvailable"):
        qs = qs.prefetch_related(
            Prefetch(
                "stocks",
                queryset=Stock.objects.filter(outlet__is_active=True, outlet__offers_sales=True).annotate(
                    reserved=reserved_subquery()
                ),
                to_attr="stock_rows",
            )
        )
    return Prefetch("variants", queryset=qs)


def products_with_relations(qs, info):
    return qs.select_related("vendor", "category").prefetch_related(variants_prefetch(info), "permits", "images")


class CategoryType(DjangoObjectType):
    class Meta:
        model = Category
        name = "Category"
        interfaces = (relay.Node,)
        fields = ("id", "name", "slug", "description", "requires_food_permit", "requires_bpom", "halal_relevant")


class VendorType(DjangoObjectType):
    nib = graphene.String(description="Shown to the owner, curators and the regency admin only.")
    bank_account_number = graphene.String(description="Shown to the owner and the regency admin only.")
    bank_name = graphene.String()
    bank_account_name = graphene.String()
    commission_rate_bp = graphene.Int(required=True)

    class Meta:
        model = Vendor
        name = "Vendor"
        interfaces = (relay.Node,)
        connection_class = CountableConnection
        fields = ("id", "name", "slug", "story", "kecamatan", "desa", "is_active", "created_at")

    @staticmethod
    def _is_manager(root, info) -> bool:
        return user_manages_vendor(info.context.user, root)

    def resolve_nib(root, info):
        user = info.context.user
        if VendorType._is_manager(root, info) or user.has_perm("catalog.review_product"):
            return root.nib
        return None

    def resolve_bank_account_number(root, info):
        return root.bank_account_number if VendorType._is_manager(root, info) else None

    def resolve_bank_name(root, info):
        return root.bank_name if VendorType._is_manager(root, info) else None

    def resolve_bank_account_name(root, info):
        return root.bank_account_name if VendorType._is_manager(root, info) else None

    def resolve_commission_rate_bp(root, info):
        return root.commission_rate_bp


class PermitType(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = PermitTypeEnum(required=True)
    number = graphene.String(required=True)
    issued_on = graphene.Date()
    expires_on = graphene.Date()

    class Meta:
        name = "Permit"

    def resolve_id(root: Permit, info):
        return graphene.Node.to_global_id("Permit", root.pk)


class ProductImageType(graphene.ObjectType):
    url = graphene.String(required=True, size=graphene.Int(description=f"Width wanted; served from {THUMBNAIL_SIZES}."))
    alt = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)

    class Meta:
        name = "ProductImage"

    def resolve_url(root: ProductImage, info, size=None):
        return info.context.build_absolute_uri(root.url(size))


class ProductVariantType(DjangoObjectType):
    price = graphene.Field(Money, required=True)
    quantity_available = graphene.Int(
        required=True,
        outlet=graphene.ID(description="A café; without it, the units available at all cafés together."),
    )

    class Meta:
        model = ProductVariant
        name = "ProductVariant"
        interfaces = (relay.Node,)
        fields = ("id", "name", "sku", "barcode", "internal_code", "is_active", "product")

    def resolve_price(root, info):
        return Money.of(root.price)

    def resolve_quantity_available(root, info, outlet=None):
        outlet_id = decode_id(outlet, expected_type="Outlet", field="outlet") if outlet else None
        rows = getattr(root, "stock_rows", None)
        if rows is None:  # not prefetched (a single variant): one query
            rows = list(
                Stock.objects.filter(variant=root, outlet__is_active=True, outlet__offers_sales=True).annotate(
                    reserved=reserved_subquery()
                )
            )
        return sum(max(r.quantity - r.reserved, 0) for r in rows if outlet_id is None or r.outlet_id == outlet_id)


class AuditEntryType(graphene.ObjectType):
    action = graphene.String(required=True)
    user = graphene.String()
    changes = graphene.JSONString()
    note = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "ProductAuditEntry"

    def resolve_user(root: ProductAuditEntry, info):
        return str(root.user) if root.user_id else None


class ProductType(DjangoObjectType):
    status = ProductStatusEnum(required=True)
    price = graphene.Field(Money, description="The lowest price of its variants.")
    thumbnail = graphene.String(size=graphene.Int(default_value=320), description="URL of the first photo's thumbnail.")
    images = graphene.List(graphene.NonNull(ProductImageType), required=True)
    variants = graphene.List(graphene.NonNull(ProductVariantType), required=True)
    permits = graphene.List(graphene.NonNull(PermitType), required=True)
    rejection_reason = graphene.String(description="The curator's last reason; owner and curators only.")
    audit_trail = graphene.List(graphene.NonNull(AuditEntryType), description="Owner and curators only.")

    class Meta:
        model = Product
        name = "Product"
        interfaces = (relay.Node,)
        connection_class = CountableConnection
        fields = (
            "id",
            "name",
            "slug",
            "description",
            "net_weight",
            "ingredients",
            "shelf_life_days",
            "vendor",
            "category",
            "approved_at",
            "created_at",
            "updated_at",
        )

    def resolve_status(root, info):
        return str(root.status)  # the plain value, also after a TextChoices member was assigned

    def resolve_price(root, info):
        prices = [v.price for v in root.variants.all() if v.is_active]
        return Money.of(min(prices)) if prices else None

    def resolve_thumbnail(root, info, size=320):
        images = list(root.images.all())
        return info.context.build_absolute_uri(images[0].url(size)) if images else None

    def resolve_images(root, info):
        return root.images.all()

    def resolve_variants(root, info):
        return [v for v in root.variants.all() if v.is_active]

    def resolve_permits(root, info):
        return root.permits.all()

    def resolve_rejection_reason(root, info):
        return root.rejection_reason if user_sees_product_internals(info.context.user, root) else None

    def resolve_audit_trail(root, info):
        if user_sees_product_internals(info.context.user, root):
            return root.audit_entries.select_related("user")
        return None


class StockType(DjangoObjectType):
    quantity = graphene.Int(required=True, description="On hand.")
    reserved = graphene.Int(required=True)
    available = graphene.Int(required=True)

    class Meta:
        model = Stock
        name = "Stock"
        fields = ("outlet", "variant", "updated_at")

    def resolve_reserved(root, info):
        return getattr(root, "reserved", 0)

    def resolve_available(root, info):
        return max(root.quantity - getattr(root, "reserved", 0), 0)


class StockMovementType(DjangoObjectType):
    class Meta:
        model = StockMovement
        name = "StockMovement"
        fields = (
            "id",
            "outlet",
            "variant",
            "kind",
            "quantity",
            "balance_after",
            "reference",
            "reason",
            "note",
            "oversold",
            "created_at",
        )

    kind = graphene.String(required=True)
    reason = graphene.String(required=True)


class StockDeliveryLineType(DjangoObjectType):
    id = graphene.ID(required=True)
    difference = graphene.Int()

    class Meta:
        model = StockDeliveryLine
        name = "StockDeliveryLine"
        fields = ("id", "variant", "quantity_sent", "quantity_received", "batch_code", "expires_on")

    def resolve_id(root, info):
        return graphene.Node.to_global_id("StockDeliveryLine", root.pk)

    def resolve_difference(root, info):
        return root.difference


class StockDeliveryType(DjangoObjectType):
    status = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(StockDeliveryLineType), required=True)

    class Meta:
        model = StockDelivery
        name = "StockDelivery"
        interfaces = (relay.Node,)
        fields = ("id", "number", "vendor", "outlet", "note", "received_at", "receipt_note", "created_at")

    def resolve_lines(root, info):
        return root.lines.select_related("variant", "variant__product")
