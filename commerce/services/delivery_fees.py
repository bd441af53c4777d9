"""Flat delivery fees per kecamatan (the regency admin sets them in the admin or here)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..error_codes import CommerceErrorCode
from ..exceptions import InvalidAmount
from ..models import DeliveryFee


@transaction.atomic
def delivery_fee_set(*, kecamatan: str, fee: int, is_active: bool = True) -> DeliveryFee:
    """Create or change the fee to deliver to a kecamatan."""
    name = (kecamatan or "").strip()
    if not name:
        raise InvalidAmount(_("Name the kecamatan."), code=CommerceErrorCode.REQUIRED, field="kecamatan")
    if isinstance(fee, bool) or not isinstance(fee, int) or fee < 0 or fee > 1_000_000:
        raise InvalidAmount(_("The fee must be a whole number of rupiah from 0 to 1.000.000."), field="fee")
    item, _created = DeliveryFee.objects.update_or_create(kecamatan=name, defaults={"fee": fee, "is_active": is_active})
    return item
