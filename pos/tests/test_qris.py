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


@pytest.mark.django_db
def test_screen_shows_the_qris_code_and_checks_status(client, midtrans_server, shift, cashier, variant):
    from django.urls import reverse

    sale = _qris_sale(shift, cashier, variant, quantity=1)
    client.force_login(cashier)
    svg = client.get(reverse("pos:sale-qris-qr", args=[sale.pk]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    midtrans_server.set_status(sale_qris_payment(sale).midtrans_order_id, "settlement")
    body = client.post(reverse("pos:api-sale-status", args=[sale.pk])).json()
    assert body["ok"] and body["sale"]["status"] == "completed"
    assert client.get(reverse("pos:sale-qris-qr", args=[sale.pk])).status_code == 404  # paid: no code to show


def _qr_bytes(content: str, size: int) -> bytes:
    from core.printing import escpos_render
    from pos.receipts import _qr_image

    return escpos_render(lambda p: p.image(_qr_image(content, size=size), center=True))


@pytest.mark.django_db
def test_the_qris_code_prints_on_the_register_printer(
    midtrans_server, shift, cashier, variant, django_capture_on_commit_callbacks
):
    from core.models import PrintJob, PrintJobStatus
    from pos.services.receipts import qris_print

    sale = _qris_sale(shift, cashier, variant, quantity=1)
    payment = sale_qris_payment(sale)
    with django_capture_on_commit_callbacks(execute=True):
        job = qris_print(sale=sale, user=cashier)
    job.refresh_from_db()
    assert job.document == f"qris:{sale.number}" and job.status == PrintJobStatus.PRINTED
    data = bytes(PrintJob.objects.get(pk=job.pk).data)
    text = data.decode("cp437", errors="replace")
    assert "QRIS" in text and "Rp15.000" in text and sale.number in text
    assert "Ini bukan struk" in text and "Berlaku sampai" in text and "WIB" in text
    # The printed code is the payment's QRIS string, not the digital receipt's link.
    assert _qr_bytes(payment.qr_string, 6) in data
    assert _qr_bytes(payment.qr_string + "x", 6) not in data


@pytest.mark.django_db
def test_qris_print_refused_once_paid_and_for_another_cafe(
    midtrans_server, shift, cashier, variant, other_outlet, make_user, sell
):
    from pos.services.receipts import qris_print

    sale = _qris_sale(shift, cashier, variant, quantity=1)
    elsewhere = make_user("kasir_durenan", "cashier", [other_outlet])
    with pytest.raises(DomainError) as exc:
        qris_print(sale=sale, user=elsewhere)
    assert exc.value.code == "outlet_not_allowed"
    cash = sell((variant, 1))
    with pytest.raises(DomainError) as exc:
        qris_print(sale=cash, user=cashier)
    assert exc.value.code == "not_awaiting_payment"


@pytest.mark.django_db
def test_screen_prints_the_qris_code(client, midtrans_server, shift, cashier, variant):
    from django.urls import reverse

    from core.models import PrintJob

    sale = _qris_sale(shift, cashier, variant, quantity=1)
    client.force_login(cashier)
    url = reverse("pos:api-sale-qris-print", args=[sale.pk])
    assert client.get(url).status_code == 405
    body = client.post(url).json()
    assert body == {"ok": True, "printStatus": "pending"}  # delivered after commit, which a test never reaches
    assert PrintJob.objects.filter(document=f"qris:{sale.number}").count() == 1
    sale_payment_cancel(sale=sale, user=cashier)
    body = client.post(url).json()
    assert not body["ok"] and body["errors"][0]["code"] == "not_awaiting_payment"
