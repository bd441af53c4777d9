"""productSubmitForReview, productReview, productSuspend: the curation workflow."""

import graphene

from catalog.error_codes import CatalogErrorCode
from catalog.models import Product
from catalog.selectors import products_for_owner
from catalog.services.products import product_review, product_submit_for_review, product_suspend

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..enums import ProductReviewDecision
from ..types import ProductType


class ChecklistItemInput(graphene.InputObjectType):
    item = graphene.String(required=True, description="nib, food_permit, halal, label, packaging or price.")
    passed = graphene.Boolean(description="true, false, or null for not applicable (food_permit, halal only).")
    note = graphene.String(description="Why it failed: shown to the owner.")


class ProductSubmitForReview(BaseMutation):
    """Send a draft, rejected or suspended product of the caller's UMKM to the curators."""

    product = graphene.Field(ProductType)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permissions = ("catalog.change_product",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id):
        product = get_node_or_error(
            id, queryset=products_for_owner(info.context.user), expected_type="Product", field="id"
        )
        return cls(product=product_submit_for_review(product=product, user=info.context.user))


class ProductReview(BaseMutation):
    """Approve or reject a submitted product with the selection checklist (curators)."""

    product = graphene.Field(ProductType)

    class Arguments:
        id = graphene.ID(required=True)
        decision = ProductReviewDecision(required=True)
        checklist = graphene.List(graphene.NonNull(ChecklistItemInput), required=True)
        reason = graphene.String(default_value="")
        allow_price_changes = graphene.Boolean(
            default_value=False, description="Let the owner change prices without review."
        )

    class Meta:
        permissions = ("catalog.review_product",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, decision, checklist, reason, allow_price_changes):
        product = get_node_or_error(id, queryset=Product.objects.all(), expected_type="Product", field="id")
        items = {c.item: {"passed": c.get("passed"), "note": c.get("note") or ""} for c in checklist}
        product_review(
            product=product,
            user=info.context.user,
            decision=getattr(decision, "value", decision),
            checklist=items,
            reason=reason,
            allow_price_changes=allow_price_changes,
        )
        product.refresh_from_db()
        return cls(product=product)


class ProductSuspend(BaseMutation):
    """Take an approved product off sale, with a reason (curators)."""

    product = graphene.Field(ProductType)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        permissions = ("catalog.suspend_product",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, reason):
        product = get_node_or_error(id, queryset=Product.objects.all(), expected_type="Product", field="id")
        return cls(product=product_suspend(product=product, user=info.context.user, reason=reason))


__all__ = ["ProductSubmitForReview", "ProductReview", "ProductSuspend"]
