"""Catalogue queries and mutations."""

import graphene
from django.db.models import Q
from graphene_django import DjangoConnectionField

from accounts.models import Outlet
from accounts.selectors import outlets_for_user
from catalog.models import Category, Product, ProductVariant, Stock, Vendor
from catalog.selectors import (
    curation_queue,
    products_for_owner,
    products_listable,
    products_search,
    products_visible_to,
    reserved_subquery,
)

from ..core.ids import decode_id, get_node_or_error
from ..core.permissions import require_login, require_permissions
from .enums import ProductOrderDirection, ProductSortField
from .mutations.curation import ProductReview, ProductSubmitForReview, ProductSuspend
from .mutations.product_image_upload import ProductImageUpload
from .mutations.products import ProductCreate, ProductUpdate
from .mutations.stock import StockAdjust, StockDeliveryCreate, StockDeliveryReceive
from .mutations.vendors import VendorCreate, VendorUpdate
from .types import CategoryType, ProductType, StockType, VendorType, products_with_relations


class ProductFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Words in the name, the UMKM or the description.")
    category = graphene.ID()
    vendor = graphene.ID()
    outlet = graphene.ID(description="Only products available at this café.")
    price_gte = graphene.Int()
    price_lte = graphene.Int()


class ProductSortingInput(graphene.InputObjectType):
    field = ProductSortField(required=True)
    direction = ProductOrderDirection(default_value="asc")


def _enum(value):
    return getattr(value, "value", value)


class CatalogQueries(graphene.ObjectType):
    products = DjangoConnectionField(
        ProductType,
        filter=ProductFilterInput(),
        sort_by=ProductSortingInput(),
        description="Curated products in stock at some café (the storefront).",
    )
    product = graphene.Field(ProductType, id=graphene.ID(), slug=graphene.String())
    categories = graphene.List(graphene.NonNull(CategoryType), required=True)
    vendors = DjangoConnectionField(VendorType, description="Active UMKM.")
    vendor = graphene.Field(VendorType, id=graphene.ID(required=True))
    stock = graphene.Field(
        StockType,
        outlet=graphene.ID(required=True),
        variant=graphene.ID(required=True),
        description="Stock of a variant at a café: café staff, or the UMKM owner of the variant.",
    )
    curation_queue = DjangoConnectionField(ProductType, description="Products waiting for review (curators).")
    my_products = DjangoConnectionField(ProductType, description="Products of the caller's UMKM, any status.")

    def resolve_products(root, info, filter=None, sort_by=None, **kwargs):
        f = filter or {}
        sort = _enum(sort_by.field) if sort_by else ("rank" if f.get("search") else "name")
        qs = products_search(
            search=f.get("search") or "",
            category_id=decode_id(f["category"], expected_type="Category", field="category")
            if f.get("category")
            else None,
            vendor_id=decode_id(f["vendor"], expected_type="Vendor", field="vendor") if f.get("vendor") else None,
            outlet_id=decode_id(f["outlet"], expected_type="Outlet", field="outlet") if f.get("outlet") else None,
            price_gte=f.get("price_gte"),
            price_lte=f.get("price_lte"),
            sort=sort,
            descending=bool(sort_by) and _enum(sort_by.direction) == "desc",
        )
        return products_with_relations(qs, info)

    def resolve_product(root, info, id=None, slug=None):
        user = info.context.user
        visible = products_listable()
        if user.is_authenticated:
            visible = Product.objects.filter(
                Q(pk__in=products_listable().values("pk")) | Q(pk__in=products_visible_to(user).values("pk"))
            )
        visible = products_with_relations(visible, info)
        if id:
            return get_node_or_error(id, queryset=visible, expected_type="Product", field="id")
        if slug:
            return visible.filter(slug=slug).first()
        return None

    def resolve_categories(root, info):
        return Category.objects.all()

    def resolve_vendors(root, info, **kwargs):
        return Vendor.objects.filter(is_active=True).order_by("name")

    def resolve_vendor(root, info, id):
        return get_node_or_error(id, queryset=Vendor.objects.filter(is_active=True), expected_type="Vendor", field="id")

    def resolve_stock(root, info, outlet, variant):
        require_login(info)
        user = info.context.user
        variant_obj = get_node_or_error(
            variant,
            queryset=ProductVariant.objects.select_related("product__vendor"),
            expected_type="ProductVariant",
            field="variant",
        )
        is_owner = variant_obj.product.vendor.owner_id == user.pk
        outlets = Outlet.objects.all() if is_owner else outlets_for_user(user)
        if not is_owner:
            require_permissions(info, ["catalog.view_stock"])
        outlet_obj = get_node_or_error(outlet, queryset=outlets, expected_type="Outlet", field="outlet")
        stock = (
            Stock.objects.filter(outlet=outlet_obj, variant=variant_obj)
            .select_related("outlet", "variant")
            .annotate(reserved=reserved_subquery())
            .first()
        )
        return stock or Stock(outlet=outlet_obj, variant=variant_obj, quantity=0)

    def resolve_curation_queue(root, info, **kwargs):
        require_permissions(info, ["catalog.review_product"])
        return products_with_relations(curation_queue(), info)

    def resolve_my_products(root, info, **kwargs):
        require_login(info)
        return products_with_relations(products_for_owner(info.context.user).order_by("name", "pk"), info)


class CatalogMutations(graphene.ObjectType):
    vendor_create = VendorCreate.Field()
    vendor_update = VendorUpdate.Field()
    product_create = ProductCreate.Field()
    product_update = ProductUpdate.Field()
    product_image_upload = ProductImageUpload.Field()
    product_submit_for_review = ProductSubmitForReview.Field()
    product_review = ProductReview.Field()
    product_suspend = ProductSuspend.Field()
    stock_delivery_create = StockDeliveryCreate.Field()
    stock_delivery_receive = StockDeliveryReceive.Field()
    stock_adjust = StockAdjust.Field()


__all__ = ["CatalogQueries", "CatalogMutations"]
