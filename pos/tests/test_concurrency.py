"""Real PostgreSQL, parallel connections: idempotent sales under retries, the race for the last unit."""

import datetime
import threading
import uuid

import pytest
from django.db import connection

from core.exceptions import DomainError
from pos.models import Sale
from pos.services.sales import PaymentInput, SaleLineInput, sale_complete

from .conftest import stock_of


def _parallel(fn, n):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(fn(i))
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_client_id_five_times_in_parallel_gives_one_sale_and_one_movement(shift, cashier, variant, outlet):
    from catalog.models import StockMovement

    client_id = uuid.uuid4()

    def submit(_i):
        return sale_complete(
            shift=shift,
            lines=[SaleLineInput(variant_id=variant.pk, quantity=2)],
            payments=[PaymentInput(method="cash", amount=30000)],
            client_id=client_id,
            user=cashier,
        ).pk

    results, errors = _parallel(submit, 5)
    assert errors == []
    assert len(results) == 5 and len(set(results)) == 1
    assert Sale.objects.count() == 1
    assert StockMovement.objects.filter(kind="sale").count() == 1
    assert stock_of(outlet, variant) == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pos_and_online_checkout_race_for_the_last_unit(shift, cashier, make_variant, outlet):
    from django.utils import timezone

    from catalog.services.stock import StockLine, stock_commit_sale, stock_reserve

    last = make_variant(stock=1)

    def pos(_i):
        return sale_complete(
            shift=shift,
            lines=[SaleLineInput(variant_id=last.pk, quantity=1)],
            payments=[PaymentInput(method="cash", amount=last.price)],
            client_id=uuid.uuid4(),
            user=cashier,
        )

    def online(_i):
        # The storefront's checkout: hold the unit, then sell it when paid.
        reservation = stock_reserve(
            outlet=outlet,
            lines=[StockLine(variant_id=last.pk, quantity=1)],
            expires_at=timezone.now() + datetime.timedelta(minutes=30),
            reference="ORD-RACE-1",
        )
        return stock_commit_sale(
            outlet=outlet,
            lines=[StockLine(variant_id=last.pk, quantity=1)],
            reference="ORD-RACE-1",
            reservation=reservation,
        )

    results, errors = _parallel(lambda i: pos(i) if i == 0 else online(i), 2)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], DomainError) and errors[0].code == "insufficient_stock"
    assert stock_of(outlet, last) == 0  # never negative
    assert Sale.objects.count() == (1 if isinstance(results[0], Sale) else 0)
