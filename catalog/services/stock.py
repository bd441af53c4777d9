"""Consignment stock per café: the ledger, reservations, sales, returns, adjustments and transfers.

Every function here is atomic and locks the `Stock` rows it touches with
`SELECT … FOR UPDATE` in primary-key order, so two carts that name the same
products in different orders queue up instead of deadlocking. A `Stock` row is
the maintained balance of one variant at one café; it changes only together with
a `StockMovement` line, so `Stock.quantity == sum(ledger)` always holds.

Available = on hand − units held by active, unexpired reservations. Nothing
here makes available stock negative, except `stock_commit_sale(allow_negative=True)`
for sales that already happened (offline tills), which flags the line `oversold`.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..error_codes import CatalogErrorCode
from ..exceptions import InsufficientStock, ProductNotSellable, ReservationNotActive, Shortage
from ..models import (
    AdjustmentReason,
    MovementKind,
    ProductVariant,
    Reservation,
    ReservationLine,
    ReservationStatus,
    Stock,
    StockMovement,
)
from ..selectors import reserved_quantities, variants_sellable


@dataclass(frozen=True)
class StockLine:
    variant_id: int
    quantity: int
    unit_price: int | None = None  # sale / return: price frozen on the line
    commission_rate_bp: int | None = None  # sale / return: commission frozen on the line


# --- building blocks ---------------------------------------------------------------------------


def _merge_lines(lines: list[StockLine]) -> dict[int, StockLine]:
    """Validate quantities and merge lines of the same variant (the first line's price wins)."""
    if not lines:
        raise DomainError(_("Add at least one line."), code=CatalogErrorCode.INVALID_QUANTITY, field="lines")
    merged: dict[int, StockLine] = {}
    for line in lines:
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or line.quantity <= 0:
            raise DomainError(
                _("Quantities must be whole numbers above zero."), code=CatalogErrorCode.INVALID_QUANTITY, field="lines"
            )
        if line.unit_price is not None and (not isinstance(line.unit_price, int) or line.unit_price < 0):
            raise DomainError(
                _("Prices are whole rupiah, not negative."), code=CatalogErrorCode.INVALID_PRICE, field="lines"
            )
        if line.commission_rate_bp is not None and not 0 <= line.commission_rate_bp <= 10000:
            raise DomainError(_("Commission must be between 0 and 100%."), code=CatalogErrorCode.INVALID, field="lines")
        previous = merged.get(int(line.variant_id))
        if previous is None:
            merged[int(line.variant_id)] = line
        else:
            merged[int(line.variant_id)] = StockLine(
                previous.variant_id, previous.quantity + line.quantity, previous.unit_price, previous.commission_rate_bp
            )
    return dict(sorted(merged.items()))


def _variants(variant_ids, *, sellable: bool) -> dict[int, ProductVariant]:
    """Load the variants (with product and UMKM); when `sellable`, refuse any that may not be sold."""
    ids = list(variant_ids)
    qs = variants_sellable() if sellable else ProductVariant.objects.select_related("product", "product__vendor")
    found = qs.in_bulk(ids)
    missing = [vid for vid in ids if vid not in found]
    if missing:
        names = ProductVariant.objects.filter(pk__in=missing).select_related("product")
        label = ", ".join(str(v) for v in names) or ", ".join(str(m) for m in missing)
        if sellable:
            raise ProductNotSellable(_("Not for sale at the moment: %(products)s.") % {"products": label})
        raise DomainError(_("Unknown product variant."), code=CatalogErrorCode.NOT_FOUND, field="lines")
    return found


def _lock_stocks(pairs: set[tuple[int, int]], *, create_missing: bool) -> dict[tuple[int, int], Stock]:
    """Lock the Stock rows of these (outlet, variant) pairs in pk order; create missing rows at 0 first."""
    if not pairs:
        return {}
    locked = {(row.outlet_id, row.variant_id): row for row in _select_stocks_for_update(pairs)}
    missing = sorted(pairs - set(locked))
    if create_missing and missing:
        # Sorted inserts with ON CONFLICT DO NOTHING: two first deliveries racing cannot deadlock.
        Stock.objects.bulk_create(
            [Stock(outlet_id=o, variant_id=v, quantity=0) for o, v in missing], ignore_conflicts=True
        )
        locked.update({(row.outlet_id, row.variant_id): row for row in _select_stocks_for_update(set(missing))})
    return locked


def _select_stocks_for_update(pairs: set[tuple[int, int]]):
    condition = Q()
    for outlet_id, variant_id in sorted(pairs):
        condition |= Q(outlet_id=outlet_id, variant_id=variant_id)
    return Stock.objects.select_for_update().filter(condition).order_by("pk")


def _lock_available(outlet, lines: list[StockLine]):
    """Merge the lines, lock the café's rows and refuse any line short of available units.

    The first step of every movement that takes units out of a café (return to owner, transfer).
    Returns (merged lines, variants, locked stock rows).
    """
    merged = _merge_lines(lines)
    variants = _variants(merged, sellable=False)
    stocks = _lock_stocks({(outlet.pk, vid) for vid in merged}, create_missing=False)
    shortages, _available = _check_available(outlet_id=outlet.pk, merged=merged, variants=variants, stocks=stocks)
    if shortages:
        raise _shortage_error(shortages)
    return merged, variants, stocks


def _shortage_error(shortages: list[Shortage]) -> InsufficientStock:
    parts = [
        _("%(product)s: %(available)d available, %(requested)d asked")
        % {"product": s.product_name, "available": max(s.available, 0), "requested": s.requested}
        for s in shortages
    ]
    return InsufficientStock(_("Not enough stock. %(details)s.") % {"details": "; ".join(parts)}, shortages=shortages)


def _post(entries: list[dict], stocks: dict[tuple[int, int], Stock], *, user=None) -> list[StockMovement]:
    """Write ledger lines and move the locked balances by the same amounts, in two statements."""
    deltas: dict[int, int] = {}
    movements = []
    now = timezone.now()
    for entry in entries:
        stock = stocks[(entry["outlet_id"], entry["variant"].pk)]
        stock.quantity += entry["quantity"]
        deltas[stock.pk] = deltas.get(stock.pk, 0) + entry["quantity"]
        movements.append(
            StockMovement(
                outlet_id=entry["outlet_id"],
                variant=entry["variant"],
                vendor_id=entry["variant"].product.vendor_id,
                kind=entry["kind"],
                quantity=entry["quantity"],
                balance_after=stock.quantity,
                unit_price=entry.get("unit_price"),
                commission_rate_bp=entry.get("commission_rate_bp"),
                reference=entry.get("reference", ""),
                reason=entry.get("reason", ""),
                note=entry.get("note", ""),
                oversold=entry.get("oversold", False),
                delivery_id=entry.get("delivery_id"),
                user=user if user is not None and user.is_authenticated else None,
            )
        )
    Stock.objects.filter(pk__in=list(deltas)).update(
        quantity=F("quantity") + Case(*[When(pk=pk, then=Value(d)) for pk, d in deltas.items()], default=Value(0)),
        updated_at=now,
    )
    return StockMovement.objects.bulk_create(movements)


def _check_available(
    *, outlet_id: int, merged: dict[int, StockLine], variants, stocks, exclude_reservation_id=None
) -> tuple[list[Shortage], dict[int, int]]:
    reserved = reserved_quantities(
        outlet_id=outlet_id, variant_ids=merged, exclude_reservation_id=exclude_reservation_id
    )
    shortages, available_by_variant = [], {}
    for vid, line in merged.items():
        stock = stocks.get((outlet_id, vid))
        available = (stock.quantity if stock else 0) - reserved.get(vid, 0)
        available_by_variant[vid] = available
        if line.quantity > available:
            shortages.append(Shortage(vid, str(variants[vid]), line.quantity, available))
    return shortages, available_by_variant


# --- reservations ------------------------------------------------------------------------------


@transaction.atomic
def stock_reserve(*, outlet, lines: list[StockLine], expires_at, reference: str, visit=None) -> Reservation:
    """Hold units at a café until `expires_at`; refuse with `insufficient_stock` if any line is short."""
    merged = _merge_lines(lines)
    if expires_at <= timezone.now():
        raise DomainError(_("A reservation must end in the future."), code=CatalogErrorCode.INVALID, field="expires_at")
    variants = _variants(merged, sellable=True)
    stocks = _lock_stocks({(outlet.pk, vid) for vid in merged}, create_missing=False)
    shortages, _available = _check_available(outlet_id=outlet.pk, merged=merged, variants=variants, stocks=stocks)
    if shortages:
        raise _shortage_error(shortages)
    reservation = Reservation.objects.create(
        outlet=outlet, visit=visit, reference=reference[:64], expires_at=expires_at
    )
    ReservationLine.objects.bulk_create(
        [
            ReservationLine(reservation=reservation, variant_id=vid, quantity=line.quantity)
            for vid, line in merged.items()
        ]
    )
    return reservation


@transaction.atomic
def stock_release(*, reservation) -> None:
    """Give the held units back. Releasing twice, or a sold or expired reservation, changes nothing."""
    Reservation.objects.filter(pk=reservation.pk, status=ReservationStatus.ACTIVE).update(
        status=ReservationStatus.RELEASED, updated_at=timezone.now()
    )
    reservation.refresh_from_db(fields=["status", "updated_at"])


def reservations_expire(*, now: datetime.datetime | None = None) -> int:
    """Mark every active reservation past its end as expired; return how many.

    Availability already ignores a reservation once its time is up; this keeps the status honest.
    """
    now = now or timezone.now()
    return Reservation.objects.filter(status=ReservationStatus.ACTIVE, expires_at__lte=now).update(
        status=ReservationStatus.EXPIRED, updated_at=now
    )


# --- sales and returns -------------------------------------------------------------------------


def stock_commit_sale(
    *,
    outlet,
    lines: list[StockLine],
    reference: str,
    reservation=None,
    allow_negative: bool = False,
    user=None,
    variants: dict[int, ProductVariant] | None = None,
    new_reference: bool = False,
    savepoint: bool = True,
) -> list[StockMovement]:
    """Take sold units out of a café's stock, freezing price and commission on each ledger line.

    With `reservation`, its held units are consumed (not counted twice). A retry with the same
    `reference` returns the lines already recorded. `allow_negative` records sales that already
    happened (offline tills): shortfalls are then flagged `oversold` instead of refused, and products
    suspended meanwhile are still recorded.

    A caller that has already loaded and checked the variants (with product and UMKM) passes them
    as `variants`; one that has just allocated `reference` in this transaction (so no ledger line
    can carry it yet) says `new_reference=True`. Each saves a query on the till's hot path, as does
    `savepoint=False` from a caller whose own transaction is rolled back whole on any error.
    """
    with transaction.atomic(savepoint=savepoint):
        return _commit_sale(
            outlet=outlet,
            lines=lines,
            reference=reference,
            reservation=reservation,
            allow_negative=allow_negative,
            user=user,
            variants=variants,
            new_reference=new_reference,
        )


def _commit_sale(*, outlet, lines, reference, reservation, allow_negative, user, variants, new_reference):
    if not reference:
        raise DomainError(_("A sale needs its reference."), code=CatalogErrorCode.INVALID, field="reference")
    merged = _merge_lines(lines)
    if variants is None or any(vid not in variants for vid in merged):
        variants = _variants(merged, sellable=not allow_negative)
    stocks = _lock_stocks({(outlet.pk, vid) for vid in merged}, create_missing=True)
    if not new_reference:
        already = list(StockMovement.objects.filter(outlet=outlet, kind=MovementKind.SALE, reference=reference))
        if already:
            return already
    if reservation is not None:
        reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if reservation.outlet_id != outlet.pk:
            raise ReservationNotActive(_("This reservation is for another café."))
        if reservation.status in (ReservationStatus.RELEASED, ReservationStatus.CONSUMED):
            raise ReservationNotActive(_("This reservation was already released or sold."))
    shortages, available = _check_available(
        outlet_id=outlet.pk,
        merged=merged,
        variants=variants,
        stocks=stocks,
        exclude_reservation_id=reservation.pk if reservation is not None else None,
    )
    if shortages and not allow_negative:
        raise _shortage_error(shortages)
    entries = []
    for vid, line in merged.items():
        variant = variants[vid]
        entries.append(
            {
                "outlet_id": outlet.pk,
                "variant": variant,
                "kind": MovementKind.SALE,
                "quantity": -line.quantity,
                "unit_price": variant.price if line.unit_price is None else line.unit_price,
                "commission_rate_bp": variant.product.vendor.commission_rate_bp
                if line.commission_rate_bp is None
                else line.commission_rate_bp,
                "reference": reference,
                "oversold": line.quantity > available[vid],
            }
        )
    movements = _post(entries, stocks, user=user)
    if reservation is not None:
        Reservation.objects.filter(pk=reservation.pk).update(
            status=ReservationStatus.CONSUMED, updated_at=timezone.now()
        )
        reservation.status = ReservationStatus.CONSUMED
    return movements


@transaction.atomic
def stock_return_sale(*, outlet, lines: list[StockLine], reference: str, user=None) -> list[StockMovement]:
    """Put units a customer brought back into the café's stock (once per `reference`)."""
    if not reference:
        raise DomainError(_("A return needs its reference."), code=CatalogErrorCode.INVALID, field="reference")
    merged = _merge_lines(lines)
    variants = _variants(merged, sellable=False)
    stocks = _lock_stocks({(outlet.pk, vid) for vid in merged}, create_missing=True)
    already = list(StockMovement.objects.filter(outlet=outlet, kind=MovementKind.SALE_RETURN, reference=reference))
    if already:
        return already
    entries = [
        {
            "outlet_id": outlet.pk,
            "variant": variants[vid],
            "kind": MovementKind.SALE_RETURN,
            "quantity": line.quantity,
            "unit_price": variants[vid].price if line.unit_price is None else line.unit_price,
            "commission_rate_bp": variants[vid].product.vendor.commission_rate_bp
            if line.commission_rate_bp is None
            else line.commission_rate_bp,
            "reference": reference,
        }
        for vid, line in merged.items()
    ]
    return _post(entries, stocks, user=user)


# --- the café's own movements ------------------------------------------------------------------


def movement_reference(prefix: str) -> str:
    return f"{prefix}-{timezone.localtime():%y%m%d}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def stock_adjust(
    *,
    outlet,
    variant,
    reason: str,
    delta: int | None = None,
    counted: int | None = None,
    note: str = "",
    user=None,
) -> StockMovement | None:
    """Correct a café's stock by `delta`, or to the `counted` quantity of a stock count (opname).

    Units held by reservations cannot be written off: release them first. Return None when a count
    matches the books (nothing to record).
    """
    if reason not in AdjustmentReason.values:
        raise DomainError(
            _("Choose a reason for the adjustment."), code=CatalogErrorCode.REASON_REQUIRED, field="reason"
        )
    if (delta is None) == (counted is None):
        raise DomainError(
            _("Give either a change or a counted quantity."), code=CatalogErrorCode.INVALID_QUANTITY, field="quantity"
        )
    if counted is not None and (not isinstance(counted, int) or counted < 0):
        raise DomainError(
            _("A counted quantity cannot be negative."), code=CatalogErrorCode.INVALID_QUANTITY, field="quantity"
        )
    if delta is not None and (not isinstance(delta, int) or delta == 0):
        raise DomainError(
            _("The change must be a whole number other than zero."),
            code=CatalogErrorCode.INVALID_QUANTITY,
            field="quantity",
        )
    if reason == AdjustmentReason.OTHER and not note.strip():
        raise DomainError(_("Explain the adjustment in the note."), code=CatalogErrorCode.REASON_REQUIRED, field="note")
    variants = _variants([variant.pk], sellable=False)
    stocks = _lock_stocks({(outlet.pk, variant.pk)}, create_missing=True)
    stock = stocks[(outlet.pk, variant.pk)]
    change = delta if delta is not None else counted - stock.quantity
    if change == 0:
        return None
    if change < 0:
        reserved = reserved_quantities(outlet_id=outlet.pk, variant_ids=[variant.pk]).get(variant.pk, 0)
        available = stock.quantity - reserved
        if -change > available:
            raise _shortage_error([Shortage(variant.pk, str(variants[variant.pk]), -change, available)])
    (movement,) = _post(
        [
            {
                "outlet_id": outlet.pk,
                "variant": variants[variant.pk],
                "kind": MovementKind.ADJUSTMENT,
                "quantity": change,
                "reason": reason,
                "note": note[:255],
                "reference": movement_reference("ADJ"),
            }
        ],
        stocks,
        user=user,
    )
    return movement


@transaction.atomic
def stock_return_to_owner(*, outlet, lines: list[StockLine], user=None, note: str = "") -> list[StockMovement]:
    """Hand consigned units back to their UMKM (unsold, near expiry): they leave the café's stock."""
    merged, variants, stocks = _lock_available(outlet, lines)
    reference = movement_reference("RTR")
    return _post(
        [
            {
                "outlet_id": outlet.pk,
                "variant": variants[vid],
                "kind": MovementKind.RETURN_TO_OWNER,
                "quantity": -line.quantity,
                "reference": reference,
                "note": note[:255],
            }
            for vid, line in merged.items()
        ],
        stocks,
        user=user,
    )


def stock_receive_lines(
    *, outlet, delivery, received: list[tuple[ProductVariant, int]], user=None
) -> list[StockMovement]:
    """Book received consignment units into a café's stock (called by the delivery receipt, inside its transaction)."""
    positive = [(variant, qty) for variant, qty in received if qty > 0]
    if not positive:
        return []
    stocks = _lock_stocks({(outlet.pk, variant.pk) for variant, _qty in positive}, create_missing=True)
    return _post(
        [
            {
                "outlet_id": outlet.pk,
                "variant": variant,
                "kind": MovementKind.RECEIPT,
                "quantity": qty,
                "reference": delivery.number,
                "delivery_id": delivery.pk,
            }
            for variant, qty in positive
        ],
        stocks,
        user=user,
    )
