"""Refunds against the original receipt: partial and full, stock back, cash out of the drawer."""

import pytest

from core.exceptions import DomainError
from pos.models import Refund
from pos.selectors import shift_cash_summary
from pos.services.refunds import RefundLineInput, sale_refund

from .conftest import stock_of


@pytest.mark.django_db
def test_partial_then_full_refund(sell, variant, manager, outlet, shift):
    from catalog.models import StockMovement

    sale = sell((variant, 3), discounts={variant.pk: 1000}, user=manager)  # 45.000 − 1.000 = 44.000
    line = sale.lines.get()
    first = sale_refund(
        sale=sale, user=manager, reason="rusak", lines=[RefundLineInput(sale_line_id=line.pk, quantity=1)]
    )
    assert first.total == 44000 * 1 // 3 and first.cash_amount == first.total
    assert stock_of(outlet, variant) == 8
    rest = sale_refund(sale=sale, user=manager, reason="tidak jadi")
    assert first.total + rest.total == 44000  # no rounding drift
    sale.refresh_from_db()
    assert sale.refunded_total == 44000
    assert stock_of(outlet, variant) == 10
    assert StockMovement.objects.filter(kind="sale_return").count() == 2
    assert shift_cash_summary(shift=shift)["expected_cash"] == 200000 + 44000 - 44000
    with pytest.raises(DomainError) as exc:
        sale_refund(sale=sale, user=manager, reason="lagi")
    assert exc.value.code == "refund_exceeds_sale"


@pytest.mark.django_db
def test_refund_refusals_change_nothing(sell, variant, manager, other_outlet, make_user, outlet):
    sale = sell((variant, 2))
    line = sale.lines.get()
    cases = [
        {"reason": "", "lines": None},
        {"reason": "rusak", "lines": [RefundLineInput(sale_line_id=line.pk, quantity=3)]},
        {"reason": "rusak", "lines": [RefundLineInput(sale_line_id=line.pk, quantity=0)]},
        {"reason": "rusak", "lines": [RefundLineInput(sale_line_id=999999, quantity=1)]},
    ]
    for kwargs in cases:
        with pytest.raises(DomainError):
            sale_refund(sale=sale, user=manager, **kwargs)
    elsewhere = make_user("manajer_durenan", "outlet_manager", [other_outlet])
    with pytest.raises(DomainError):
        sale_refund(sale=sale, user=elsewhere, reason="rusak")
    assert not Refund.objects.exists() and stock_of(outlet, variant) == 8


@pytest.mark.django_db
def test_cash_refund_needs_cash_in_the_drawer(sell, variant, manager, cashier, shift):
    from pos.services.shifts import cash_movement_create

    sale = sell((variant, 1))
    cash_movement_create(shift=shift, kind="out", amount=215000, reason="setor ke bank", user=cashier)
    with pytest.raises(DomainError) as exc:
        sale_refund(sale=sale, user=manager, reason="rusak")
    assert exc.value.code == "not_enough_cash"
    assert not Refund.objects.exists()
