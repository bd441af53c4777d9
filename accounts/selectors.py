"""Read queries of the accounts domain."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, Exists, OuterRef, QuerySet, Value, When

from .exceptions import InvalidNik
from .models import Customer, Outlet, OutletLevel, User, Visit
from .nik import nik_hash, nik_validate
from .services.visits import business_date_today
from .visit_codes import visit_code_clean, visit_qr_parse


def outlets_active() -> QuerySet[Outlet]:
    """Return active cafés in network order: the regency gallery, then kecamatan, then desa cafés, by name."""
    rank = Case(
        When(level=OutletLevel.REGENCY, then=Value(0)),
        When(level=OutletLevel.KECAMATAN, then=Value(1)),
        default=Value(2),
    )
    return (
        Outlet.objects.filter(is_active=True)
        .select_related("parent")
        .annotate(level_rank=rank)
        .order_by("level_rank", "name")
    )


def outlets_for_user(user: User) -> QuerySet[Outlet]:
    """Return the outlets where this staff member may act."""
    if not user.is_authenticated:
        return Outlet.objects.none()
    if user.is_superuser or not user.restricted_to_outlets:
        return Outlet.objects.all()
    return user.outlets.all()


def user_can_act_at_outlet(user: User, outlet: Outlet | int | None) -> bool:
    if outlet is None or not user.is_authenticated:
        return False
    if user.is_superuser or not user.restricted_to_outlets:
        return True
    outlet_id = outlet if isinstance(outlet, int) else outlet.pk
    return user.outlets.filter(pk=outlet_id).exists()


def user_outlet_access(user: User, outlet_ref: str = "outlet_id"):
    """An expression to annotate rows with: true where the row's outlet is one where this staff member may act."""
    if not user.is_authenticated:
        return Value(False, output_field=BooleanField())
    if user.is_superuser or not user.restricted_to_outlets:
        return Value(True, output_field=BooleanField())
    return Exists(User.outlets.through.objects.filter(user_id=user.pk, outlet_id=OuterRef(outlet_ref)))


def user_roles(user: User) -> list[str]:
    if not user.is_authenticated:
        return []
    return list(user.groups.values_list("name", flat=True))


def visit_find(*, code_or_qr: str, outlet: Outlet | None, date: datetime.date | None = None) -> Visit | None:
    """Find a visit by its typed code or scanned QR payload, at this outlet, on this business day."""
    parsed = visit_qr_parse(code_or_qr)
    day = date or business_date_today()
    if parsed:
        outlet_id, yyyymmdd, code = parsed
        if (outlet.pk if outlet else None) != outlet_id or yyyymmdd != f"{day:%Y%m%d}":
            return None
    else:
        code = visit_code_clean(code_or_qr)
    return (
        Visit.objects.select_related("customer", "outlet").filter(code=code, business_date=day, outlet=outlet).first()
    )


def customer_find_by_nik(raw: str) -> Customer | None:
    """Return the customer with this NIK, found through its keyed hash, or None."""
    try:
        number = nik_validate(raw).number
    except InvalidNik:
        return None
    return Customer.objects.filter(nik_hash=nik_hash(number)).first()
