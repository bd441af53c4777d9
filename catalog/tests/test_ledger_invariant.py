"""Property: whatever sequence of movements happens, each balance equals the sum of its ledger and stays >= 0."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Reservation, Stock, StockMovement
from catalog.selectors import stock_available
from catalog.services.stock import (
    StockLine,
    stock_adjust,
    stock_commit_sale,
    stock_release,
    stock_reserve,
    stock_return_sale,
    stock_return_to_owner,
)
from catalog.services.transfers import stock_transfer_cancel, stock_transfer_receive, stock_transfer_send
from core.exceptions import DomainError

OPS = [
    "receive",
    "sale",
    "return",
    "adjust",
    "count",
    "transfer",
    "transfer_arrives",
    "transfer_cancelled",
    "reserve",
    "release",
    "to_owner",
    "reserved_sale",
]

operation = st.tuples(
    st.sampled_from(OPS),
    st.integers(min_value=0, max_value=1),  # variant
    st.integers(min_value=0, max_value=1),  # café
    st.integers(min_value=-4, max_value=6),  # quantity (invalid ones included on purpose)
)


def assert_ledger_invariant(outlets, variants):
    sums = {
        (row["outlet_id"], row["variant_id"]): row["total"]
        for row in StockMovement.objects.values("outlet_id", "variant_id").annotate(total=Sum("quantity"))
    }
    for stock in Stock.objects.all():
        assert stock.quantity == sums.get((stock.outlet_id, stock.variant_id), 0)
        assert stock.quantity >= 0
        last = (
            StockMovement.objects.filter(outlet_id=stock.outlet_id, variant_id=stock.variant_id).order_by("pk").last()
        )
        assert last is None or last.balance_after == stock.quantity
    for outlet in outlets:
        for available in stock_available(outlet=outlet, variant_ids=[v.pk for v in variants]).values():
            assert available >= 0
    raw = {(s.outlet_id, s.variant_id): s.quantity for s in Stock.objects.all()}
    held = {}
    for r in Reservation.objects.filter(status="active", expires_at__gt=timezone.now()).prefetch_related("lines"):
        for line in r.lines.all():
            held[(r.outlet_id, line.variant_id)] = held.get((r.outlet_id, line.variant_id), 0) + line.quantity
    for key, quantity in held.items():
        assert quantity <= raw.get(key, 0)  # nothing reserved that is not on hand


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_any_sequence_of_movements_keeps_balance_equal_to_ledger(
    outlet, other_outlet, vendor, make_product, stock_in, manager, ops
):
    from catalog.models import ProductVariant

    if vendor.products.count() < 2:  # built once, kept by every example
        make_product(vendor, name="Alen-alen")
        make_product(vendor, name="Gula Aren")
    variants = list(ProductVariant.objects.filter(product__vendor=vendor).order_by("pk"))[:2]
    outlets = [outlet, other_outlet]
    expires = timezone.now() + datetime.timedelta(minutes=30)
    with transaction.atomic():
        reservations = []
        transfers = []
        for n, (op, vi, oi, qty) in enumerate(ops):
            variant, cafe, other = variants[vi], outlets[oi], outlets[1 - oi]
            try:
                if op == "receive":
                    if qty > 0:
                        stock_in(cafe, variant, qty)
                elif op == "sale":
                    stock_commit_sale(outlet=cafe, lines=[StockLine(variant.pk, qty)], reference=f"S{n}")
                elif op == "return":
                    stock_return_sale(outlet=cafe, lines=[StockLine(variant.pk, qty)], reference=f"R{n}")
                elif op == "adjust":
                    stock_adjust(outlet=cafe, variant=variant, reason="damage", delta=qty, user=manager)
                elif op == "count":
                    stock_adjust(outlet=cafe, variant=variant, reason="count", counted=qty, user=manager)
                elif op == "transfer":
                    # No user: the ledger's rules only (staff scoping is tested on its own).
                    transfers.append(
                        stock_transfer_send(source=cafe, destination=other, lines=[StockLine(variant.pk, qty)])
                    )
                elif op == "transfer_arrives" and transfers:
                    stock_transfer_receive(transfer=transfers[-1])
                elif op == "transfer_cancelled" and transfers:
                    stock_transfer_cancel(transfer=transfers[0])
                elif op == "reserve":
                    reservations.append(
                        stock_reserve(
                            outlet=cafe, lines=[StockLine(variant.pk, qty)], expires_at=expires, reference=f"C{n}"
                        )
                    )
                elif op == "release" and reservations:
                    stock_release(reservation=reservations.pop(0))
                elif op == "to_owner":
                    stock_return_to_owner(outlet=cafe, lines=[StockLine(variant.pk, qty)], user=manager)
                elif op == "reserved_sale" and reservations:
                    r = reservations.pop()
                    line = r.lines.get()
                    stock_commit_sale(
                        outlet=r.outlet,
                        lines=[StockLine(line.variant_id, line.quantity)],
                        reference=f"RS{n}",
                        reservation=r,
                    )
            except DomainError:
                pass  # a refusal must leave everything as it was: checked below like any other step
            assert_ledger_invariant(outlets, variants)
        transaction.set_rollback(True)
