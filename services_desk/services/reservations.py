"""Products reserved from the kiosk for pickup at the cashier, held by the visit (catalogue contract)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Visit, VisitStatus
from accounts.services.visits import business_date_today
from core.exceptions import DomainError

from ..error_codes import ServicesDeskErrorCode as Code

MAX_LINES = 20
MAX_QUANTITY = 20


@dataclass(frozen=True)
class ReserveLine:
    variant_id: int
    quantity: int


def catalog_available() -> bool:
    try:
        from catalog.services import stock  # noqa: F401
    except ImportError:
        return False
    return True


def reservation_expires_at() -> datetime.datetime:
    """Reserved goods wait until the café closes today (at the latest 23.59 local time)."""
    minutes = getattr(settings, "CHECKOUT_RESERVATION_MINUTES", 30)
    end_of_day = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    return max(timezone.now() + datetime.timedelta(minutes=minutes), end_of_day)


@transaction.atomic
def visit_reserve_products(*, visit: Visit, lines: list[ReserveLine]):
    """Reserve the café's stock for the visit; the cashier who scans the ticket gets these products."""
    if not catalog_available():
        raise DomainError(
            _("Product reservations are not available yet."), code=Code.CATALOG_UNAVAILABLE, field="lines"
        )
    from catalog.exceptions import InsufficientStock, ProductNotSellable
    from catalog.services.stock import StockLine, stock_reserve

    if visit.status != VisitStatus.OPEN or visit.outlet_id is None or visit.business_date != business_date_today():
        raise DomainError(_("This visit is not open at a café today."), code=Code.INVALID, field="visitCode")
    merged: dict[int, int] = {}
    for line in lines:
        if (
            isinstance(line.quantity, bool)
            or not isinstance(line.quantity, int)
            or not 1 <= line.quantity <= MAX_QUANTITY
        ):
            raise DomainError(
                _("Each quantity is between 1 and %(max)s.") % {"max": MAX_QUANTITY}, code=Code.INVALID, field="lines"
            )
        merged[line.variant_id] = merged.get(line.variant_id, 0) + line.quantity
    if not merged or len(merged) > MAX_LINES:
        raise DomainError(
            _("Choose between 1 and %(max)s products.") % {"max": MAX_LINES}, code=Code.INVALID, field="lines"
        )
    stock_lines = [StockLine(variant_id=v, quantity=q) for v, q in sorted(merged.items())]
    try:
        return stock_reserve(
            outlet=visit.outlet,
            lines=stock_lines,
            expires_at=reservation_expires_at(),
            reference=f"visit:{visit.pk}",
            visit=visit,
        )
    except InsufficientStock as exc:
        raise DomainError(exc.message, code=Code.INSUFFICIENT_STOCK, field="lines") from None
    except ProductNotSellable as exc:
        raise DomainError(exc.message, code=Code.PRODUCT_NOT_SELLABLE, field="lines") from None
