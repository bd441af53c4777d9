"""Races on PostgreSQL: real threads, each with its own connection, fighting for the same rows."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from catalog.exceptions import InsufficientStock
from catalog.models import ReservationLine, Stock, StockMovement
from catalog.services.stock import StockLine, stock_commit_sale, stock_reserve

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_threads(count, work):
    """Start `count` threads at the same moment; return each one's result or exception."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def target(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_threads_reserving_the_last_units_get_exactly_the_available_quantity(outlet, variant, stock_in):
    # given 3 units and 8 buyers wanting one each, all at once
    stock_in(outlet, variant, 3)
    expires = timezone.now() + datetime.timedelta(minutes=15)

    results = run_in_threads(
        8,
        lambda i: stock_reserve(
            outlet=outlet, lines=[StockLine(variant.pk, 1)], expires_at=expires, reference=f"cart-{i}"
        ),
    )

    # then exactly 3 succeed and 5 get the clear insufficient_stock refusal
    successes = [r for r in results if not isinstance(r, Exception)]
    refusals = [r for r in results if isinstance(r, InsufficientStock)]
    assert len(successes) == 3, results
    assert len(refusals) == 5, results
    assert sum(ReservationLine.objects.filter(variant=variant).values_list("quantity", flat=True)) == 3


def test_two_buyers_racing_for_the_last_unit_one_sale_one_refusal(outlet, variant, stock_in):
    stock_in(outlet, variant, 1)
    results = run_in_threads(
        2, lambda i: stock_commit_sale(outlet=outlet, lines=[StockLine(variant.pk, 1)], reference=f"POS-{i}")
    )
    assert sorted(type(r).__name__ for r in results) == ["InsufficientStock", "list"]
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 0


def test_carts_locking_the_same_products_in_opposite_orders_do_not_deadlock(outlet, vendor, make_product, stock_in):
    # given two products, plenty of stock
    a = make_product(vendor, name="Alen-alen").variants.get()
    b = make_product(vendor, name="Gula Aren").variants.get()
    stock_in(outlet, a, 200)
    stock_in(outlet, b, 200)

    def work(i):
        done = 0
        for round_ in range(15):
            lines = [StockLine(a.pk, 1), StockLine(b.pk, 1)]
            if i % 2:
                lines.reverse()  # the other cart names them the other way round
            stock_commit_sale(outlet=outlet, lines=lines, reference=f"T{i}-{round_}")
            done += 1
        return done

    results = run_in_threads(4, work)

    assert not [r for r in results if isinstance(r, OperationalError)], results  # no "deadlock detected"
    assert results == [15, 15, 15, 15]
    assert Stock.objects.get(outlet=outlet, variant=a).quantity == 200 - 60
    assert StockMovement.objects.filter(kind="sale").count() == 120


def test_a_retried_sale_racing_itself_is_recorded_once(outlet, variant, stock_in):
    stock_in(outlet, variant, 5)
    results = run_in_threads(
        3, lambda i: stock_commit_sale(outlet=outlet, lines=[StockLine(variant.pk, 2)], reference="POS-SAME")
    )
    assert all(isinstance(r, list) for r in results), results
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 3
    assert StockMovement.objects.filter(kind="sale").count() == 1
