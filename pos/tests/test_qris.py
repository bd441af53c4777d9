"""QRIS at the register against a real HTTP server playing Midtrans: paid by notification or by "Cek Status",
cancelled on timeout, split with cash, refunded through Midtrans."""

import datetime
import uuid

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from pos.models import Sale, SaleStatus
from pos.selectors import shift_cash_summary
from pos.services.refunds import sale_refund
from pos.services.sales import (
    PaymentInput,
    SaleLineInput,
    sale_complete,
    sale_payment_cancel,
    sale_payment_check,
    sale_qris_payment,
    sales_expire_unpaid,
)
from pos.services.shifts import shift_close

from .conftest import stock_of


def _qris_sale(shift, cashier, variant, quantity=2, cash=0):
    total = variant.price * quantity
    payments = [PaymentInput(method="qris", amount=total - cash)]
    if cash:
        payments.insert(0, PaymentInput(method="cash", amount=cash, tendered=cash))
    return sale_complete(
        shift=shift,
        lines=[SaleLineInput(variant_id=variant.pk, quantity=quantity)],
        payments=payments,
        client_id=uuid.uuid4(),
        user=cashier,
    )


def _available(outlet, variant):
    from catalog.selectors import stock_available

    return stock_available(outlet=outlet, variant_ids=[variant.pk])[variant.pk]


@pytest.mark.django_db
def test_qris_sale_completes_on_the_paid_notification(
    midtrans_server, shift, cashier, variant, outlet, django_capture_on_commit_callbacks
):
    from commerce.payments.services import payment_notification_handle
    from core.models import PrintJob

    sale = _qris_sale(shift, cashier, variant)
    assert sale.status == SaleStatus.AWAITING_PAYMENT
    payment = sale_qris_payment(sale)
    assert payment.qr_string and payment.gross_amount == 30000
    assert _available(outlet, variant) == 8 and stock_of(outlet, variant) == 10  # held, not yet sold
    with pytest.raises(DomainError) as pending:
        shift_close(shift=shift, user=cashier, counted_cash=200000)
    assert pending.value.code == "shift_has_pending_payments"

    with django_capture_on_commit_callbacks(execute=True):
        payment_notification_handle(body=midtrans_server.settle(payment.midtrans_order_id))
    sale.refresh_from_db()
    assert sale.status == SaleStatus.COMPLETED and sale.completed_at
    assert stock_of(outlet, variant) == 8 and _available(outlet, variant) == 8  # the hold was consumed, not doubled
    assert PrintJob.objects.filter(document=f"receipt:{sale.number}").exists()
    # A duplicate notification changes nothing.
    payment_notification_handle(body=midtrans_server.notification(payment.midtrans_order_id, "settlement"))
    assert stock_of(outlet, variant) == 8


@pytest.mark.django_db
def test_check_status_completes_a_hanging_qris(midtrans_server, shift, cashier, variant, outlet):
    sale = _qris_sale(shift, cashier, variant, quantity=1)
    assert sale_payment_check(sale=sale, user=cashier).status == SaleStatus.AWAITING_PAYMENT
    midtrans_server.set_status(sale_qris_payment(sale).midtrans_order_id, "settlement")  # paid, notification lost
    assert sale_payment_check(sale=sale, user=cashier).status == SaleStatus.COMPLETED
    assert stock_of(outlet, variant) == 9


@pytest.mark.django_db
def test_unpaid_qris_is_cancelled_on_timeout_and_its_stock_released(
    midtrans_server, shift, cashier, variant, outlet, settings
):
    sale = _qris_sale(shift, cashier, variant)
    assert _available(outlet, variant) == 8
    later = timezone.now() + datetime.timedelta(minutes=settings.POS_QRIS_TIMEOUT_MINUTES + 1)
    assert sales_expire_unpaid(now=later) == 1
    sale.refresh_from_db()
    assert sale.status == SaleStatus.CANCELLED
    assert _available(outlet, variant) == 10 and stock_of(outlet, variant) == 10
    assert midtrans_server.requests_to("POST", "/cancel")


@pytest.mark.django_db
def test_cancel_of_a_qris_paid_meanwhile_completes_the_sale(midtrans_server, shift, cashier, variant):
    sale = _qris_sale(shift, cashier, variant, quantity=1)
    midtrans_server.set_status(sale_qris_payment(sale).midtrans_order_id, "settlement")
    assert sale_payment_cancel(sale=sale, user=cashier).status == SaleStatus.COMPLETED


@pytest.mark.django_db
def test_split_payment_counts_only_cash_in_the_drawer_and_refunds_qris_first(
    midtrans_server, shift, cashier, manager, variant, outlet
):
    from commerce.payments.services import payment_notification_handle

    sale = _qris_sale(shift, cashier, variant, quantity=2, cash=10000)  # 30.000 = 10.000 cash + 20.000 QRIS
    payment_notification_handle(body=midtrans_server.settle(sale_qris_payment(sale).midtrans_order_id))
    sale.refresh_from_db()
    assert (sale.status, sale.cash_amount, sale.qris_amount) == (SaleStatus.COMPLETED, 10000, 20000)
    assert shift_cash_summary(shift=shift)["expected_cash"] == 210000
    refund = sale_refund(sale=sale, user=manager, reason="rusak")
    assert (refund.qris_amount, refund.cash_amount) == (20000, 10000)
    assert midtrans_server.requests_to("POST", "/refund")
    assert shift_cash_summary(shift=shift)["expected_cash"] == 200000
    assert stock_of(outlet, variant) == 10


@pytest.mark.django_db
def test_gateway_down_cancels_the_sale_and_holds_nothing(midtrans_server, shift, cashier, variant, outlet):
    midtrans_server.fail_next(status=503, times=5)
    with pytest.raises(DomainError) as exc:
        _qris_sale(shift, cashier, variant)
    assert exc.value.code == "gateway_error"
    assert Sale.objects.get().status == SaleStatus.CANCELLED
    assert _available(outlet, variant) == 10


@pytest.mark.django_db
def test_offline_sales_cannot_be_qris(shift, cashier, variant):
    with pytest.raises(DomainError):
        sale_complete(
            shift=shift,
            lines=[SaleLineInput(variant_id=variant.pk, quantity=1)],
            payments=[PaymentInput(method="qris", amount=15000)],
            client_id=uuid.uuid4(),
            user=cashier,
            offline=True,
        )
    assert not Sale.objects.exists()
