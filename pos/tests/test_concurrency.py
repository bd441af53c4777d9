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


def _pause_after(module, name: str, entered: threading.Event, release: threading.Event):
    """Wrap module.name so that, once called (inside its caller's transaction), it signals and waits."""
    original = getattr(module, name)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        entered.set()
        release.wait(timeout=10)
        return result

    return paused


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_shift_close_waits_for_the_sale_in_progress_and_counts_it(shift, cashier, variant, monkeypatch):
    import pos.services.sales as sales
    from pos.models import ShiftStatus
    from pos.services.shifts import shift_close

    entered, release = threading.Event(), threading.Event()
    # The sale pauses inside its transaction, after it locked the shift and took its receipt number.
    monkeypatch.setattr(sales, "_next_receipt_number", _pause_after(sales, "_next_receipt_number", entered, release))
    order, errors = [], []

    def sell():
        try:
            sale_complete(
                shift=shift,
                lines=[SaleLineInput(variant_id=variant.pk, quantity=2)],
                payments=[PaymentInput(method="cash", amount=30000, tendered=50000)],
                client_id=uuid.uuid4(),
                user=cashier,
            )
            order.append("sale")
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    def close():
        try:
            entered.wait(timeout=10)
            timer = threading.Timer(0.5, release.set)  # let the sale go on only after the close has started
            timer.start()
            report = shift_close(shift=shift, user=cashier, counted_cash=230000)
            order.append(("close", report.data["expected_cash"], report.data["difference"]))
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sell), threading.Thread(target=close)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    # The close waited for the sale's commit, so its expected cash includes the sale's Rp30.000.
    assert order == ["sale", ("close", 230000, 0)]
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CLOSED and shift.expected_cash == 230000
    assert Sale.objects.get().shift_id == shift.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sale_arriving_while_the_shift_closes_is_refused_or_marked_late(shift, cashier, variant, monkeypatch):
    import pos.services.shifts as shifts
    from pos.services.shifts import shift_close

    entered, release = threading.Event(), threading.Event()
    # The close pauses inside its transaction, after it locked the shift and summed its cash.
    monkeypatch.setattr(shifts, "shift_cash_summary", _pause_after(shifts, "shift_cash_summary", entered, release))
    outcomes = {}

    def close():
        try:
            outcomes["close"] = shift_close(shift=shift, user=cashier, counted_cash=200000).data["expected_cash"]
        finally:
            connection.close()

    def sell():
        entered.wait(timeout=10)
        threading.Timer(0.5, release.set).start()
        try:
            outcomes["sale"] = sale_complete(
                shift=shift,
                lines=[SaleLineInput(variant_id=variant.pk, quantity=1)],
                payments=[PaymentInput(method="cash", amount=15000)],
                client_id=uuid.uuid4(),
                user=cashier,
            )
        except DomainError as exc:
            outcomes["sale"] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=close), threading.Thread(target=sell)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # The live sale waited for the close and was then refused: it never slipped into the closed shift.
    assert outcomes == {"close": 200000, "sale": "shift_closed"}
    # A sale rung up offline before the close arrives afterwards: kept in its shift, marked late sync.
    late = sale_complete(
        shift=shift,
        lines=[SaleLineInput(variant_id=variant.pk, quantity=1)],
        payments=[PaymentInput(method="cash", amount=15000)],
        client_id=uuid.uuid4(),
        user=cashier,
        offline=True,
    )
    assert late.shift_id == shift.pk and late.late_sync
    assert Sale.objects.count() == 1
