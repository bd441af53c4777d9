"""Races on PostgreSQL, each shopper on its own connection: the last units, and a double-clicked pay button."""

import threading

import pytest
from django.db import connection

from catalog.models import Reservation, ReservationStatus
from catalog.selectors import stock_available
from commerce.models import Order
from commerce.services.checkout import (
    LineInput,
    checkout_complete,
    checkout_contact_update,
    checkout_create,
    checkout_delivery_method_update,
)
from core.exceptions import DomainError


def _run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results.append(target(i))
        except DomainError as exc:
            errors.append(exc.code)
        except Exception as exc:  # surfaced by the assertions below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_shoppers_race_for_the_last_five_units(make_variant, put_stock, outlet, midtrans_server):
    variant = make_variant("Kopi Dilem Wilis", 45000)
    put_stock(outlet, variant, 5)
    checkouts = []
    for i in range(20):
        checkout = checkout_create(lines=[LineInput(variant.pk, 1)])
        checkout_contact_update(checkout=checkout, name=f"Pembeli {i}", phone=f"0812345{i:05d}")
        checkouts.append(checkout)

    def shop(i):
        checkout = checkout_delivery_method_update(checkout=checkouts[i], pickup_outlet=outlet)
        return checkout_complete(checkout=checkout).order.number

    numbers, errors = _run_in_threads(20, shop)
    assert len(numbers) == 5 and len(set(numbers)) == 5
    assert sorted(errors) == ["insufficient_stock"] * 15
    assert Order.objects.count() == 5
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 0}
    assert Reservation.objects.filter(status=ReservationStatus.ACTIVE, lines__variant=variant).count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_parallel_completes_place_one_order(ready_checkout, midtrans_server):
    results, errors = _run_in_threads(2, lambda i: checkout_complete(checkout=ready_checkout))
    assert errors == []
    assert len({r.order.pk for r in results}) == 1 and len({r.payment.pk for r in results}) == 1
    assert Order.objects.count() == 1
    assert len(midtrans_server.requests_to("POST", "/snap/v1/transactions")) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_restocks_never_return_more_than_the_line(
    placed_order, two_products, outlet, manager, midtrans_server
):
    from catalog.models import MovementKind, Stock, StockMovement
    from commerce.services.orders import order_restock

    from .conftest import notify

    keripik, _alen = two_products
    notify(midtrans_server, placed_order, "settlement")
    line = placed_order.lines.get(variant=keripik)  # 2 units
    results, errors = _run_in_threads(
        4, lambda _i: order_restock(order=placed_order, lines=[(line.pk, 1)], user=manager).pk
    )
    assert len(results) == 2 and errors == ["invalid_quantity", "invalid_quantity"]
    line.refresh_from_db()
    assert line.restocked_quantity == 2
    assert StockMovement.objects.filter(kind=MovementKind.SALE_RETURN, variant=keripik).count() == 2
    assert Stock.objects.get(outlet=outlet, variant=keripik).quantity == 10
