"""Cafés of the network."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from core.exceptions import domain_error_from_validation

from ..models import Outlet, OutletLevel


@transaction.atomic
def outlet_upsert(
    *, code: str, name: str, level: str, kecamatan: str, parent: Outlet | None = None, **fields
) -> Outlet:
    """Create the outlet with this code or update it. Idempotent."""
    outlet = Outlet.objects.filter(code=code).first() or Outlet(code=code)
    outlet.name = name
    outlet.level = level
    outlet.kecamatan = kecamatan
    outlet.parent = parent
    outlet.slug = fields.pop("slug", None) or outlet.slug or slugify(name)
    for key, value in fields.items():
        setattr(outlet, key, value)
    if level != OutletLevel.REGENCY and parent is None:
        raise domain_error_from_validation(ValidationError({"parent": "A kecamatan or desa café needs a parent."}))
    try:
        outlet.full_clean()
    except ValidationError as exc:
        raise domain_error_from_validation(exc) from None
    outlet.save()
    return outlet


@transaction.atomic
def user_set_outlets(*, user, outlets: list[Outlet], restricted: bool = True) -> None:
    """Restrict a staff member to these outlets (or lift the restriction)."""
    user.restricted_to_outlets = restricted
    user.save(update_fields=["restricted_to_outlets"])
    user.outlets.set(outlets)
