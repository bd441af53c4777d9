"""productCreate, productUpdate: the owner's products with variants and permits."""

import graphene
from django.utils.translation import gettext as _

from catalog.error_codes import CatalogErrorCode
from catalog.models import Category, Permit
from catalog.selectors import products_for_owner, vendors_for_user
from catalog.services.products import VariantInput, permit_save, product_create, product_update
from core.exceptions import DomainError

from ...core.ids import decode_id, get_node_or_error
from ...core.mutations import BaseMutation
from ..enums import PermitTypeEnum
from ..types import ProductType


class ProductVariantInput(graphene.InputObjectType):
    id = graphene.ID(description="An existing variant to change; leave out to add one.")
    name = graphene.String(required=True)
    price = graphene.Int(required=True, description="Whole rupiah.")
    sku = graphene.String()
    barcode = graphene.String(description="EAN-13, or empty.")
    internal_code = graphene.String(description="Generated when empty.")
    is_active = graphene.Boolean(default_value=True)


class PermitInput(graphene.InputObjectType):
    id = graphene.ID(description="An existing permit to change; leave out to add one.")
    type = PermitTypeEnum(required=True)
    number = graphene.String(required=True)
    issued_on = graphene.Date()
    expires_on = graphene.Date()


class ProductInput(graphene.InputObjectType):
    category = graphene.ID()
    name = graphene.String()
    description = graphene.String()
    net_weight = graphene.String()
    ingredients = graphene.String()
    shelf_life_days = graphene.Int()
    variants = graphene.List(graphene.NonNull(ProductVariantInput))
    permits = graphene.List(graphene.NonNull(PermitInput))


class ProductCreateInput(ProductInput):
    vendor = graphene.ID(required=True)


def _variants(items, info):
    return [
        VariantInput(
            id=decode_id(v.id, expected_type="ProductVariant", field="variants") if v.get("id") else None,
            name=v.name,
            price=v.price,
            sku=v.get("sku") or "",
            barcode=v.get("barcode") or "",
            internal_code=v.get("internal_code") or "",
            is_active=v.get("is_active", True),
        )
        for v in items
    ]


def _enum_value(value):
    return getattr(value, "value", value)


def _save_permits(product, permits, user):
    for p in permits or []:
        existing = None
        if p.get("id"):
            existing = get_node_or_error(
                p.id, queryset=Permit.objects.filter(product=product), expected_type="Permit", field="permits"
            )
        permit_save(
            product=product,
            permit=existing,
            type=_enum_value(p.type),
            number=p.number,
            issued_on=p.get("issued_on"),
            expires_on=p.get("expires_on"),
            user=user,
        )


def _category(global_id):
    return get_node_or_error(global_id, queryset=Category.objects.all(), expected_type="Category", field="category")


class ProductCreate(BaseMutation):
    """Create a draft product of one of the caller's UMKM, with its variants and permits."""

    product = graphene.Field(ProductType)

    class Arguments:
        input = ProductCreateInput(required=True)

    class Meta:
        permissions = ("catalog.add_product",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, input):
        user = info.context.user
        vendor = get_node_or_error(
            input.vendor, queryset=vendors_for_user(user), expected_type="Vendor", field="vendor"
        )
        if not input.get("category"):
            raise DomainError(_("Choose a category."), code=CatalogErrorCode.INVALID, field="category")
        product = product_create(
            vendor=vendor,
            category=_category(input.category),
            name=input.get("name") or "",
            description=input.get("description") or "",
            net_weight=input.get("net_weight") or "",
            ingredients=input.get("ingredients") or "",
            shelf_life_days=input.get("shelf_life_days"),
            variants=_variants(input.get("variants") or [], info),
            user=user,
        )
        _save_permits(product, input.get("permits"), user)
        product.refresh_from_db()
        return cls(product=product)


class ProductUpdate(BaseMutation):
    """Change a product of the caller's UMKM. Price or permit changes of an approved product send it back to review."""

    product = graphene.Field(ProductType)

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductInput(required=True)

    class Meta:
        permissions = ("catalog.change_product",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, input):
        user = info.context.user
        product = get_node_or_error(id, queryset=products_for_owner(user), expected_type="Product", field="id")
        fields = {
            k: input.get(k)
            for k in ("name", "description", "net_weight", "ingredients", "shelf_life_days")
            if k in input
        }
        if input.get("category"):
            fields["category"] = _category(input.category)
        variants = _variants(input.variants, info) if input.get("variants") is not None else None
        product = product_update(product=product, user=user, variants=variants, **fields)
        _save_permits(product, input.get("permits"), user)
        product.refresh_from_db()
        return cls(product=product)


__all__ = ["ProductCreate", "ProductUpdate"]
