"""The selection checklist of Dinas Komidag and the product state machine."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import ProductStatus

# Item -> label. The order is the order on the review screen.
CHECKLIST_ITEMS: dict[str, str] = {
    "nib": _("NIB of the business is valid"),
    "food_permit": _("PIRT or BPOM MD appropriate to the category (milk, meat, fish, poultry: BPOM MD only)"),
    "halal": _("Halal certificate where relevant"),
    "label": _("Label shows net weight, ingredients and expiry date"),
    "packaging": _("Packaging quality"),
    "price": _("Price is reasonable"),
}

# Items a curator may mark "not applicable" (e.g. batik needs no food permit).
OPTIONAL_ITEMS = {"food_permit", "halal"}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ProductStatus.DRAFT: {ProductStatus.SUBMITTED},
    ProductStatus.SUBMITTED: {ProductStatus.APPROVED, ProductStatus.REJECTED},
    ProductStatus.REJECTED: {ProductStatus.SUBMITTED},
    # Back to SUBMITTED when the owner changes price or permits of an approved product.
    ProductStatus.APPROVED: {ProductStatus.SUSPENDED, ProductStatus.SUBMITTED},
    ProductStatus.SUSPENDED: {ProductStatus.SUBMITTED},
}


def transition_allowed(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, set())
