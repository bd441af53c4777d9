"""Cash math: whatever happens in a shift, expected cash equals the formula.

expected = opening float + Σ cash part of sales (tendered − change) + Σ cash in − Σ cash out − Σ cash refunds
"""

import uuid

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.selectors import shift_cash_summary
from pos.services.refunds import sale_refund
from pos.services.sales import PaymentInput, SaleLineInput, sale_complete
from pos.services.shifts import cash_movement_create, shift_close, shift_open

sale_step = st.tuples(
    st.just("sale"),
    st.integers(min_value=1, max_value=4),  # quantity
    st.integers(min_value=0, max_value=3),  # extra notes tendered, in Rp5.000
    st.booleans(),  # refund it afterwards?
)
movement_step = st.tuples(st.sampled_from(["in", "out"]), st.integers(min_value=1, max_value=80).map(lambda n: n * 500))
steps = st.lists(st.one_of(sale_step, movement_step), min_size=1, max_size=8)


class _Rollback(Exception):
    pass


@pytest.fixture
def roomy_variant(make_variant):
    return make_variant(price=12500, stock=100)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(opening=st.integers(min_value=0, max_value=500).map(lambda n: n * 1000), plan=steps)
def test_expected_cash_equals_the_formula(terminal, cashier, manager, roomy_variant, opening, plan):
    item = roomy_variant
    try:
        with transaction.atomic():
            shift = shift_open(terminal=terminal, cashier=cashier, opening_cash=opening)
            cash_in = cash_out = cash_sales = cash_refunds = 0
            for step in plan:
                if step[0] == "sale":
                    _kind, quantity, extra, refund = step
                    total = item.price * quantity
                    tendered = total + extra * 5000
                    sale = sale_complete(
                        shift=shift,
                        lines=[SaleLineInput(variant_id=item.pk, quantity=quantity)],
                        payments=[PaymentInput(method="cash", amount=total, tendered=tendered)],
                        client_id=uuid.uuid4(),
                        user=cashier,
                    )
                    assert sale.change == tendered - total
                    cash_sales += tendered - sale.change
                    if refund:
                        cash_refunds += sale_refund(sale=sale, user=manager, reason="retur").cash_amount
                else:
                    kind, amount = step
                    drawer = opening + cash_sales + cash_in - cash_out - cash_refunds
                    if kind == "out" and amount > drawer:
                        continue
                    cash_movement_create(shift=shift, kind=kind, amount=amount, reason="uji", user=cashier)
                    if kind == "in":
                        cash_in += amount
                    else:
                        cash_out += amount
            expected = opening + cash_sales + cash_in - cash_out - cash_refunds
            assert shift_cash_summary(shift=shift)["expected_cash"] == expected
            report = shift_close(shift=shift, user=cashier, counted_cash=expected)
            assert report.data["expected_cash"] == expected and report.data["difference"] == 0
            raise _Rollback
    except _Rollback:
        pass
