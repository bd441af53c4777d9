"""UMKM businesses: registration and changes by their owner."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.phone_numbers import phone_normalize
from core.exceptions import DomainError, domain_error_from_validation

from ..error_codes import CatalogErrorCode
from ..models import Vendor
from .search_index import products_search_reindex

OWNER_FIELDS = (
    "name",
    "story",
    "street_address",
    "desa",
    "kecamatan",
    "phone",
    "email",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
)


def _unique_slug(model, base: str, *, exclude_pk=None, max_length: int = 120) -> str:
    base = (slugify(base) or "umkm")[:max_length]
    slug, n = base, 2
    qs = model.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug = f"{base[: max_length - 6]}-{n}"
        n += 1
    return slug


def _clean_and_save(vendor: Vendor) -> None:
    if vendor.phone:
        vendor.phone = phone_normalize(vendor.phone)
    if vendor.nib and Vendor.objects.filter(nib=vendor.nib).exclude(pk=vendor.pk).exists():
        raise DomainError(
            _("A UMKM with this NIB is already registered."), code=CatalogErrorCode.DUPLICATE, field="nib"
        )
    try:
        vendor.full_clean(exclude=["owner"])
    except ValidationError as exc:
        raise domain_error_from_validation(exc) from None
    vendor.save()


@transaction.atomic
def vendor_create(
    *,
    owner,
    name: str,
    nib: str,
    kecamatan: str,
    story: str = "",
    street_address: str = "",
    desa: str = "",
    phone: str = "",
    email: str = "",
    bank_name: str = "",
    bank_account_number: str = "",
    bank_account_name: str = "",
    commission_rate_bp: int | None = None,
) -> Vendor:
    """Register a UMKM business for its owner; the NIB must have 13 digits and be new."""
    nib = (nib or "").strip().replace(" ", "")
    vendor = Vendor(
        owner=owner,
        name=name.strip(),
        nib=nib,
        kecamatan=kecamatan.strip(),
        story=story,
        street_address=street_address,
        desa=desa,
        phone=phone,
        email=email,
        bank_name=bank_name,
        bank_account_number=bank_account_number.replace(" ", ""),
        bank_account_name=bank_account_name,
    )
    if commission_rate_bp is not None:
        vendor.commission_rate_bp = commission_rate_bp
    vendor.slug = _unique_slug(Vendor, vendor.name)
    _clean_and_save(vendor)
    return vendor


@transaction.atomic
def vendor_update(
    *, vendor: Vendor, commission_rate_bp: int | None = None, is_active: bool | None = None, **fields
) -> Vendor:
    """Change a UMKM's details. Commission and activation are the regency admin's (checked by the caller)."""
    vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
    unknown = set(fields) - set(OWNER_FIELDS)
    if unknown:
        raise DomainError(
            _("These details cannot be changed here."), code=CatalogErrorCode.INVALID, field=sorted(unknown)[0]
        )
    old_name = vendor.name
    for key, value in fields.items():
        if value is not None:
            setattr(vendor, key, value.strip() if isinstance(value, str) else value)
    if "bank_account_number" in fields and fields["bank_account_number"] is not None:
        vendor.bank_account_number = vendor.bank_account_number.replace(" ", "")
    if commission_rate_bp is not None:
        vendor.commission_rate_bp = commission_rate_bp
    if is_active is not None:
        vendor.is_active = is_active
    _clean_and_save(vendor)
    if vendor.name != old_name:
        products_search_reindex(vendor_ids=[vendor.pk])
    return vendor
