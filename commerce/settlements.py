"""Consignment settlements: what the café owes each UMKM for a period — sales minus commission.

Computed from the catalog's stock ledger: every sale and sale-return movement carries the unit price
and the commission rate frozen at the time of sale, so a later price or rate change never alters a
closed period.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Sum


@dataclass
class SettlementLine:
    product_name: str
    variant_name: str
    unit_price: int
    commission_rate_bp: int
    units: int  # sold minus returned

    @property
    def gross(self) -> int:
        return self.units * self.unit_price

    @property
    def commission(self) -> int:
        # Half-up rounding to whole rupiah, per price and rate.
        amount = self.gross * self.commission_rate_bp
        return (amount + 5000) // 10000 if amount >= 0 else -((-amount + 5000) // 10000)

    @property
    def payout(self) -> int:
        return self.gross - self.commission


@dataclass
class Settlement:
    vendor: object
    start: datetime.date
    end: datetime.date  # inclusive
    lines: list[SettlementLine] = field(default_factory=list)

    @property
    def gross(self) -> int:
        return sum(line.gross for line in self.lines)

    @property
    def commission(self) -> int:
        return sum(line.commission for line in self.lines)

    @property
    def payout(self) -> int:
        return sum(line.payout for line in self.lines)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def settlement_for_vendor(*, vendor, start: datetime.date, end: datetime.date) -> Settlement:
    """Return the vendor's settlement for the days start..end (WIB), in one query."""
    lines = settlement_lines_by_vendor(start=start, end=end, vendor_ids=[vendor.pk]).get(vendor.pk, [])
    return Settlement(vendor=vendor, start=start, end=end, lines=lines)


def settlement_lines_by_vendor(
    *, start: datetime.date, end: datetime.date, vendor_ids=None
) -> dict[int, list[SettlementLine]]:
    """The settlement lines of every UMKM (or of these) for the days start..end (WIB), in one query."""
    from catalog.models import MovementKind, StockMovement

    tz = ZoneInfo(settings.TIME_ZONE)
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    rows = StockMovement.objects.filter(
        kind__in=[MovementKind.SALE, MovementKind.SALE_RETURN], created_at__gte=since, created_at__lt=until
    )
    if vendor_ids is not None:
        rows = rows.filter(vendor_id__in=list(vendor_ids))
    rows = (
        rows.values("vendor_id", "variant__product__name", "variant__name", "unit_price", "commission_rate_bp")
        .annotate(moved=Sum("quantity"))
        .order_by("vendor_id", "variant__product__name", "variant__name", "unit_price")
    )
    by_vendor: dict[int, list[SettlementLine]] = {}
    for row in rows:
        if not row["moved"]:
            continue
        by_vendor.setdefault(row["vendor_id"], []).append(
            SettlementLine(
                product_name=row["variant__product__name"],
                variant_name=row["variant__name"],
                unit_price=row["unit_price"] or 0,
                commission_rate_bp=row["commission_rate_bp"] or 0,
                units=-row["moved"],
            )
        )
    return by_vendor


def vendors_settled_for(user):
    """The UMKM businesses whose settlements this user may read: their own; every one with `commerce.view_settlement`."""
    from catalog.models import Vendor

    if not user.is_authenticated:
        return Vendor.objects.none()
    if user.has_perm("commerce.view_settlement"):
        return Vendor.objects.all().order_by("name")
    return Vendor.objects.filter(owner=user).order_by("name")


def settlement_statements_for(user):
    """Closed statements this user may read: every UMKM's with `commerce.view_settlement`, else their own."""
    from .models import SettlementStatement

    if not user.is_authenticated:
        return SettlementStatement.objects.none()
    if user.has_perm("commerce.view_settlement"):
        return SettlementStatement.objects.all()
    return SettlementStatement.objects.filter(vendor__owner=user)


def settlement_for_month(*, vendor, start: datetime.date, end: datetime.date):
    """The month as its owner reads it: the frozen statement once closed, else the ledger now (provisional).

    Returns (settlement, stored statement or None).
    """
    from .models import SettlementStatement

    stored = SettlementStatement.objects.filter(vendor=vendor, period_start=start).first()
    if stored is None:
        return settlement_for_vendor(vendor=vendor, start=start, end=end), None
    lines = [
        SettlementLine(
            product_name=line["product_name"],
            variant_name=line["variant_name"],
            unit_price=line["unit_price"],
            commission_rate_bp=line["commission_rate_bp"],
            units=line["units"],
        )
        for line in stored.lines
    ]
    return Settlement(vendor=vendor, start=start, end=end, lines=lines), stored
