"""Products, variants and permits: written by the UMKM owner, judged by the curator, all in the audit trail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError, DomainErrors, domain_error_from_validation

from ..barcodes import internal_code_generate
from ..curation import CHECKLIST_ITEMS, OPTIONAL_ITEMS, transition_allowed
from ..error_codes import CatalogErrorCode
from ..exceptions import InvalidTransition
from ..models import (
    AuditAction,
    Category,
    Permit,
    PermitType,
    Product,
    ProductAuditEntry,
    ProductReview,
    ProductStatus,
    ProductVariant,
    ReviewDecision,
    Vendor,
)
from .search_index import products_search_reindex
from .vendors import _unique_slug

PRODUCT_FIELDS = ("name", "description", "net_weight", "ingredients", "shelf_life_days", "category")


@dataclass(frozen=True)
class VariantInput:
    name: str
    price: int
    sku: str = ""
    barcode: str = ""
    internal_code: str = ""
    is_active: bool = True
    id: int | None = None  # set to change an existing variant


def _audit(product: Product, *, user, action: str, changes: dict | None = None, note: str = "") -> None:
    ProductAuditEntry.objects.create(
        product=product,
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        action=action,
        changes=changes or {},
        note=note,
    )


def _jsonable(value):
    if isinstance(value, Category):
        return value.name
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def product_set_status(
    *, product: Product, status: str, user=None, action: str, note: str = "", changes=None
) -> Product:
    """Move a product to `status` if the state machine allows it, and write the audit entry."""
    if not transition_allowed(product.status, status):
        raise InvalidTransition(
            _("A product that is %(current)s cannot become %(target)s.")
            % {"current": ProductStatus(product.status).label, "target": ProductStatus(status).label}
        )
    now = timezone.now()
    product.status = status
    product.status_changed_at = now
    fields = ["status", "status_changed_at", "updated_at"]
    if status == ProductStatus.APPROVED:
        product.approved_at = now
        fields.append("approved_at")
    product.save(update_fields=fields)
    _audit(product, user=user, action=action, note=note, changes=changes)
    return product


def _validate_variant(variant: ProductVariant, index: int) -> list[DomainError]:
    errors = []
    if isinstance(variant.price, bool) or not isinstance(variant.price, int) or variant.price <= 0:
        errors.append(
            DomainError(
                _("Variant %(n)d: the price must be whole rupiah above zero.") % {"n": index},
                code=CatalogErrorCode.INVALID_PRICE,
                field="variants",
            )
        )
        return errors
    try:
        variant.full_clean(
            exclude=["product", "internal_code", "sku"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for err in domain_error_from_validation(exc).errors:
            errors.append(
                DomainError(
                    _("Variant %(n)d: %(message)s") % {"n": index, "message": err.message},
                    code=err.code,
                    field="variants",
                )
            )
    return errors


def _save_variants(product: Product, variants: list[VariantInput]) -> dict:
    """Create or change the product's variants; return the changes {variant: {field: [old, new]}}."""
    existing = {v.pk: v for v in product.variants.all()}
    errors: list[DomainError] = []
    prepared: list[ProductVariant] = []
    changes: dict = {}
    seen_barcodes, seen_skus = set(), set()
    for index, data in enumerate(variants, start=1):
        if data.id is not None:
            variant = existing.get(int(data.id))
            if variant is None:
                raise DomainError(_("Unknown variant."), code=CatalogErrorCode.NOT_FOUND, field="variants")
        else:
            variant = ProductVariant(product=product)
        before = {
            "name": variant.name,
            "price": variant.price,
            "sku": variant.sku,
            "barcode": variant.barcode,
            "is_active": variant.is_active,
        }
        variant.name = data.name.strip()
        variant.price = data.price
        variant.barcode = (data.barcode or "").strip()
        variant.is_active = data.is_active
        if data.sku.strip():
            variant.sku = data.sku.strip()
        if data.internal_code.strip():
            variant.internal_code = data.internal_code.strip().upper()
        errors.extend(_validate_variant(variant, index))
        if variant.barcode:
            if (
                variant.barcode in seen_barcodes
                or ProductVariant.objects.filter(barcode=variant.barcode).exclude(pk=variant.pk).exists()
            ):
                errors.append(
                    DomainError(
                        _("Variant %(n)d: this barcode is already used.") % {"n": index},
                        code=CatalogErrorCode.DUPLICATE,
                        field="variants",
                    )
                )
            seen_barcodes.add(variant.barcode)
        if variant.sku:
            if (
                variant.sku in seen_skus
                or ProductVariant.objects.filter(sku__iexact=variant.sku).exclude(pk=variant.pk).exists()
            ):
                errors.append(
                    DomainError(
                        _("Variant %(n)d: this SKU is already used.") % {"n": index},
                        code=CatalogErrorCode.DUPLICATE,
                        field="variants",
                    )
                )
            seen_skus.add(variant.sku)
        after = {
            "name": variant.name,
            "price": variant.price,
            "sku": variant.sku,
            "barcode": variant.barcode,
            "is_active": variant.is_active,
        }
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if variant.pk is None or diff:
            changes[variant.sku or variant.name or f"#{index}"] = diff if variant.pk else {"created": [None, after]}
        prepared.append(variant)
    if errors:
        raise DomainErrors(errors)
    for position, variant in enumerate(prepared):
        variant.position = position
        if not variant.internal_code:
            _assign_internal_code(variant)
        if not variant.sku:
            variant.sku = f"{product.vendor.slug[:12].upper()}-{variant.internal_code}"
        variant.save()
    return changes


def _assign_internal_code(variant: ProductVariant) -> None:
    taken = True
    while taken:
        variant.internal_code = internal_code_generate()
        taken = ProductVariant.objects.filter(internal_code=variant.internal_code).exists()


@transaction.atomic
def product_create(
    *,
    vendor: Vendor,
    category: Category,
    name: str,
    variants: list[VariantInput],
    description: str = "",
    net_weight: str = "",
    ingredients: str = "",
    shelf_life_days: int | None = None,
    user=None,
) -> Product:
    """Create a draft product with its variants (at least one) for a UMKM."""
    if not vendor.is_active:
        raise DomainError(_("This UMKM is not active."), code=CatalogErrorCode.INVALID, field="vendor")
    if not variants:
        raise DomainError(
            _("Add at least one variant with its price."), code=CatalogErrorCode.PRODUCT_INCOMPLETE, field="variants"
        )
    product = Product(
        vendor=vendor,
        category=category,
        name=name.strip(),
        description=description,
        net_weight=net_weight,
        ingredients=ingredients,
        shelf_life_days=shelf_life_days,
    )
    product.slug = _unique_slug(Product, f"{vendor.name} {product.name}", max_length=170)
    try:
        product.full_clean(exclude=["search_vector"])
    except ValidationError as exc:
        raise domain_error_from_validation(exc) from None
    product.save()
    try:
        with transaction.atomic():
            _save_variants(product, variants)
    except IntegrityError:
        raise DomainError(
            _("A code of this product is already used."), code=CatalogErrorCode.DUPLICATE, field="variants"
        ) from None
    _audit(product, user=user, action=AuditAction.CREATED)
    products_search_reindex(product_ids=[product.pk])
    return product


@transaction.atomic
def product_update(*, product: Product, user=None, variants: list[VariantInput] | None = None, **fields) -> Product:
    """Change a product. On an approved product every change is audited; a price change (unless the curator
    allowed price-only changes) or a new variant sends it back to review."""
    product = Product.objects.select_for_update().select_related("vendor", "category").get(pk=product.pk)
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError(
            _("These details cannot be changed here."), code=CatalogErrorCode.INVALID, field=sorted(unknown)[0]
        )
    changes: dict = {}
    for key, value in fields.items():
        if value is None:
            continue
        old = getattr(product, key)
        if old != value:
            changes[key] = [_jsonable(old), _jsonable(value)]
            setattr(product, key, value)
    try:
        product.full_clean(exclude=["search_vector"])
    except ValidationError as exc:
        raise domain_error_from_validation(exc) from None
    product.save()
    needs_review = False
    if variants is not None:
        variant_changes = _save_variants(product, variants)
        if variant_changes:
            changes["variants"] = variant_changes
        for diff in variant_changes.values():
            if "created" in diff or ("price" in diff and not product.price_change_allowed):
                needs_review = True
    if not changes:
        return product
    _audit(product, user=user, action=AuditAction.UPDATED, changes=changes)
    if product.status == ProductStatus.APPROVED and needs_review:
        product_set_status(
            product=product,
            status=ProductStatus.SUBMITTED,
            user=user,
            action=AuditAction.BACK_TO_REVIEW,
            note=_("Price or variants changed after approval."),
        )
    products_search_reindex(product_ids=[product.pk])
    return product


def _validate_permit(permit: Permit) -> None:
    if not permit.number.strip():
        raise DomainError(_("Enter the permit number."), code=CatalogErrorCode.INVALID, field="number")
    if permit.type in (PermitType.PIRT, PermitType.BPOM_MD) and permit.expires_on is None:
        raise DomainError(
            _("PIRT and BPOM MD permits have an expiry date."), code=CatalogErrorCode.INVALID, field="expires_on"
        )
    if permit.expires_on is not None and permit.expires_on < timezone.localdate():
        raise DomainError(
            _("This permit has already expired."), code=CatalogErrorCode.PERMIT_EXPIRED, field="expires_on"
        )
    if permit.issued_on and permit.expires_on and permit.expires_on <= permit.issued_on:
        raise DomainError(
            _("The expiry date must come after the issue date."), code=CatalogErrorCode.INVALID, field="expires_on"
        )
    if permit.issued_on and permit.issued_on > timezone.localdate():
        raise DomainError(
            _("The issue date cannot be in the future."), code=CatalogErrorCode.INVALID, field="issued_on"
        )
    if permit.type not in PermitType.values:
        raise DomainError(_("Unknown permit type."), code=CatalogErrorCode.INVALID, field="type")


@transaction.atomic
def permit_save(
    *,
    product: Product,
    type: str,
    number: str,
    expires_on: datetime.date | None,
    issued_on: datetime.date | None = None,
    scan=None,
    permit: Permit | None = None,
    user=None,
) -> Permit:
    """Add a permit to a product, or change one; on an approved product this sends it back to review."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if permit is not None and permit.product_id != product.pk:
        raise DomainError(_("Unknown permit."), code=CatalogErrorCode.NOT_FOUND, field="permit")
    target = permit or Permit(product=product)
    before = {"type": target.type, "number": target.number, "expires_on": _jsonable(target.expires_on)}
    target.type, target.number, target.issued_on, target.expires_on = type, number.strip(), issued_on, expires_on
    _validate_permit(target)
    if scan is not None:
        target.scan.save(scan.name, scan, save=False)
    target.save()
    after = {"type": target.type, "number": target.number, "expires_on": _jsonable(target.expires_on)}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    _audit(
        product, user=user, action=AuditAction.PERMIT_CHANGED if permit else AuditAction.PERMIT_ADDED, changes=changes
    )
    if product.status == ProductStatus.APPROVED:
        product_set_status(
            product=product,
            status=ProductStatus.SUBMITTED,
            user=user,
            action=AuditAction.BACK_TO_REVIEW,
            note=_("Permit changed after approval."),
        )
    return target


def product_missing_requirements(product: Product) -> list[DomainError]:
    """What stops a product from being submitted: no active variant, or permits the category needs."""
    errors = []
    if not product.variants.filter(is_active=True).exists():
        errors.append(
            DomainError(
                _("Add at least one active variant with its price."),
                code=CatalogErrorCode.PRODUCT_INCOMPLETE,
                field="variants",
            )
        )
    today = timezone.localdate()
    permits = list(product.permits.all())
    valid_types = {p.type for p in permits if p.expires_on is None or p.expires_on >= today}
    if any(p.expires_on is not None and p.expires_on < today for p in permits):
        errors.append(
            DomainError(
                _("A permit has expired: renew it first."), code=CatalogErrorCode.PERMIT_EXPIRED, field="permits"
            )
        )
    category = product.category
    if category.requires_bpom and PermitType.BPOM_MD not in valid_types:
        errors.append(
            DomainError(
                _("Milk, meat, fish and poultry products need a BPOM MD permit (PIRT is not allowed)."),
                code=CatalogErrorCode.PERMIT_MISSING,
                field="permits",
            )
        )
    elif category.requires_food_permit and not valid_types & {PermitType.PIRT, PermitType.BPOM_MD}:
        errors.append(
            DomainError(
                _("Processed food needs a PIRT or BPOM MD permit."),
                code=CatalogErrorCode.PERMIT_MISSING,
                field="permits",
            )
        )
    if category.requires_food_permit and not product.net_weight.strip():
        errors.append(
            DomainError(
                _("Enter the net weight as on the label."), code=CatalogErrorCode.PRODUCT_INCOMPLETE, field="net_weight"
            )
        )
    return errors


@transaction.atomic
def product_submit_for_review(*, product: Product, user=None) -> Product:
    """Send a draft, rejected or suspended product to the curator's queue."""
    product = Product.objects.select_for_update().select_related("category", "vendor").get(pk=product.pk)
    if not transition_allowed(product.status, ProductStatus.SUBMITTED) or product.status == ProductStatus.APPROVED:
        raise InvalidTransition(_("Only draft, rejected or suspended products can be submitted."))
    errors = product_missing_requirements(product)
    if errors:
        raise DomainErrors(errors)
    return product_set_status(product=product, status=ProductStatus.SUBMITTED, user=user, action=AuditAction.SUBMITTED)


def _clean_checklist(checklist: dict) -> dict:
    cleaned, errors = {}, []
    for item in CHECKLIST_ITEMS:
        entry = checklist.get(item)
        if not isinstance(entry, dict) or entry.get("passed") not in (True, False, None):
            errors.append(
                DomainError(
                    _("Fill in every item of the checklist: %(item)s.") % {"item": CHECKLIST_ITEMS[item]},
                    code=CatalogErrorCode.CHECKLIST_INCOMPLETE,
                    field="checklist",
                )
            )
            continue
        if entry.get("passed") is None and item not in OPTIONAL_ITEMS:
            errors.append(
                DomainError(
                    _("This item always applies: %(item)s.") % {"item": CHECKLIST_ITEMS[item]},
                    code=CatalogErrorCode.CHECKLIST_INCOMPLETE,
                    field="checklist",
                )
            )
            continue
        cleaned[item] = {"passed": entry.get("passed"), "note": str(entry.get("note") or "").strip()[:500]}
    unknown = set(checklist) - set(CHECKLIST_ITEMS)
    if unknown:
        errors.append(
            DomainError(_("Unknown checklist item."), code=CatalogErrorCode.CHECKLIST_INCOMPLETE, field="checklist")
        )
    if errors:
        raise DomainErrors(errors)
    return cleaned


@transaction.atomic
def product_review(
    *, product: Product, user, decision: str, checklist: dict, reason: str = "", allow_price_changes: bool = False
) -> ProductReview:
    """Record the curator's verdict: approve when every applicable item passed; reject with a note per failed item."""
    product = Product.objects.select_for_update().select_related("category", "vendor").get(pk=product.pk)
    if decision not in (ReviewDecision.APPROVE, ReviewDecision.REJECT):
        raise DomainError(_("Choose approve or reject."), code=CatalogErrorCode.INVALID, field="decision")
    if product.status != ProductStatus.SUBMITTED:
        raise InvalidTransition(_("Only products waiting for review can be reviewed."))
    cleaned = _clean_checklist(checklist or {})
    failed = [item for item, entry in cleaned.items() if entry["passed"] is False]
    reason = (reason or "").strip()
    if decision == ReviewDecision.APPROVE:
        if failed:
            raise DomainError(
                _("A product with failed checklist items cannot be approved."),
                code=CatalogErrorCode.CHECKLIST_INCOMPLETE,
                field="checklist",
            )
        missing = product_missing_requirements(product)
        if missing:
            raise DomainErrors(missing)
        status, action = ProductStatus.APPROVED, AuditAction.APPROVED
    else:
        if not failed:
            raise DomainError(
                _("Mark the checklist items that failed."),
                code=CatalogErrorCode.CHECKLIST_INCOMPLETE,
                field="checklist",
            )
        without_note = [item for item in failed if not cleaned[item]["note"]]
        if without_note and not reason:
            raise DomainError(
                _("Give a reason for each failed item."), code=CatalogErrorCode.REASON_REQUIRED, field="reason"
            )
        status, action = ProductStatus.REJECTED, AuditAction.REJECTED
    review = ProductReview.objects.create(
        product=product, reviewer=user, decision=decision, checklist=cleaned, reason=reason
    )
    product.rejection_reason = reason if decision == ReviewDecision.REJECT else ""
    product.price_change_allowed = bool(allow_price_changes) if decision == ReviewDecision.APPROVE else False
    product.save(update_fields=["rejection_reason", "price_change_allowed", "updated_at"])
    product_set_status(
        product=product, status=status, user=user, action=action, note=reason, changes={"checklist": cleaned}
    )
    return review


@transaction.atomic
def product_suspend(*, product: Product, user, reason: str) -> Product:
    """Take an approved product off sale, with the curator's reason."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not (reason or "").strip():
        raise DomainError(
            _("Give the reason for the suspension."), code=CatalogErrorCode.REASON_REQUIRED, field="reason"
        )
    if product.status != ProductStatus.APPROVED:
        raise InvalidTransition(_("Only approved products can be suspended."))
    ProductReview.objects.create(product=product, reviewer=user, decision=ReviewDecision.SUSPEND, reason=reason.strip())
    product.rejection_reason = reason.strip()
    product.save(update_fields=["rejection_reason", "updated_at"])
    return product_set_status(
        product=product, status=ProductStatus.SUSPENDED, user=user, action=AuditAction.SUSPENDED, note=reason.strip()
    )


def products_suspend_expired_permits(*, today: datetime.date | None = None) -> int:
    """Suspend every approved product with an expired permit; tell its owner. Return how many."""
    from core.messaging import message_send

    today = today or timezone.localdate()
    ids = list(
        Product.objects.filter(status=ProductStatus.APPROVED, permits__expires_on__lt=today)
        .values_list("pk", flat=True)
        .distinct()
    )
    count = 0
    for pk in ids:  # each in its own transaction: one bad row never blocks the others
        with transaction.atomic():
            product = Product.objects.select_for_update().select_related("vendor", "vendor__owner").get(pk=pk)
            if product.status != ProductStatus.APPROVED:
                continue
            expired = list(product.permits.filter(expires_on__lt=today))
            note = ", ".join(f"{p.get_type_display()} {p.number} ({p.expires_on:%d/%m/%Y})" for p in expired)
            product.rejection_reason = _("Permit expired: %(permits)s") % {"permits": note}
            product.save(update_fields=["rejection_reason", "updated_at"])
            product_set_status(
                product=product, status=ProductStatus.SUSPENDED, user=None, action=AuditAction.AUTO_SUSPENDED, note=note
            )
            owner = product.vendor.owner
            subject = _("Product suspended: %(product)s") % {"product": product.name}
            body = _(
                "The permit of %(product)s has expired (%(permits)s). Upload the renewed permit and submit the product again."
            ) % {"product": product.name, "permits": note}
            transaction.on_commit(
                lambda s=subject, b=body, o=owner, v=product.vendor: message_send(
                    subject=s, body=b, phone=v.phone or o.phone or "", email=v.email or o.email or ""
                )
            )
            count += 1
    return count
