"""Starting, checking, cancelling and refunding payments; reconciliation; input validation."""

import datetime

import pytest
from django.utils import timezone

from commerce.payments.exceptions import (
    AlreadyPaid,
    AmountMismatch,
    GatewayUnavailable,
    InvalidAmount,
    NotCancellable,
    NotRefundable,
    PaymentError,
    PaymentInProgress,
    RefundExceedsPaid,
)
from commerce.payments.models import Payment, PaymentRefund
from commerce.payments.services import (
    payment_cancel,
    payment_check_status,
    payment_refund,
    payment_start_snap,
    payments_reconcile,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("amount", [0, -5, 1.5, "1000", True, None])
def test_bad_amounts_are_refused_and_nothing_is_created(midtrans_server, amount):
    with pytest.raises(InvalidAmount):
        payment_start_snap(purpose="order", reference="ORD-1", gross_amount=amount)
    assert Payment.objects.count() == 0
    assert midtrans_server.requests == []


def test_bad_purpose_reference_items_expiry(midtrans_server):
    with pytest.raises(PaymentError):
        payment_start_snap(purpose="gift", reference="ORD-1", gross_amount=1000)
    with pytest.raises(PaymentError):
        payment_start_snap(purpose="order", reference="  ", gross_amount=1000)
    with pytest.raises(AmountMismatch):
        payment_start_snap(
            purpose="order", reference="ORD-1", gross_amount=1000, items=[{"name": "a", "price": 400, "quantity": 2}]
        )
    with pytest.raises(PaymentError):
        payment_start_snap(purpose="order", reference="ORD-1", gross_amount=1000, expiry_minutes=0)
    assert Payment.objects.count() == 0


def test_starting_twice_returns_the_open_payment(start_snap, midtrans_server):
    first = start_snap()
    again = start_snap()
    assert again.pk == first.pk
    assert len(midtrans_server.requests_to("POST", "/snap/v1/transactions")) == 1


def test_a_different_amount_while_one_is_open_is_refused(start_snap):
    start_snap(amount=1000)
    with pytest.raises(PaymentInProgress):
        start_snap(amount=2000)


def test_an_overdue_open_payment_is_checked_before_a_new_attempt(start_snap, midtrans_server):
    old = start_snap(amount=1000)
    Payment.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    midtrans_server.set_status(old.midtrans_order_id, "expire")
    new = start_snap(amount=1000)
    old.refresh_from_db()
    assert old.status == "expired"
    assert new.pk != old.pk and new.status == "pending"


def test_a_paid_reference_cannot_be_paid_again(start_snap, midtrans_server, notify):
    payment = start_snap()
    notify(midtrans_server.settle(payment.midtrans_order_id))
    with pytest.raises(AlreadyPaid):
        start_snap()


def test_order_ids_are_unique_and_fit_midtrans(start_snap):
    payment = start_snap(reference="ORD/2026/12/000123 a long reference of sixty-four characters..")
    assert len(payment.midtrans_order_id) <= 50
    assert payment.midtrans_order_id.startswith("GML-O-ORD202612000123")
    sale = payment_start_snap(purpose="pos_sale", reference="0b0c1a62-6f0e-4d43-9a57-4f6c1c1f7c10", gross_amount=1000)
    assert len(sale.midtrans_order_id) <= 50 and sale.midtrans_order_id.startswith("GML-P-")
    assert sale.midtrans_order_id != payment.midtrans_order_id


def test_qris_charge_returns_qr_string(start_qris, midtrans_server):
    payment = start_qris(acquirer="gopay")
    charge = midtrans_server.requests_to("POST", "/v2/charge")[0]
    assert charge.body["payment_type"] == "qris"
    assert charge.body["qris"] == {"acquirer": "gopay"}
    assert charge.headers["Idempotency-Key"] == payment.midtrans_order_id
    assert payment.qr_string.startswith("000201")
    assert payment.qr_image_url.endswith("/qr-code")
    assert payment.method == "qris" and payment.transaction_id


def test_qris_unknown_acquirer(start_qris):
    with pytest.raises(PaymentError):
        start_qris(acquirer="ovo")


def test_check_status_applies_midtrans_answer(start_qris, midtrans_server, recorded_handler):
    payment = start_qris()
    midtrans_server.set_status(payment.midtrans_order_id, "settlement")
    payment = payment_check_status(payment=payment)
    assert payment.status == "paid" and payment.last_checked_at
    assert recorded_handler[-1][1:3] == ("pending", "paid")


def test_check_status_when_midtrans_is_down_changes_nothing(start_qris, midtrans_server):
    payment = start_qris()
    midtrans_server.fail_next(status=503, times=3)
    with pytest.raises(GatewayUnavailable):
        payment_check_status(payment=payment)
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_cancel_an_open_qris(start_qris, midtrans_server, recorded_handler):
    payment = start_qris()
    payment = payment_cancel(payment=payment)
    assert payment.status == "cancelled"
    assert payment_cancel(payment=payment).status == "cancelled"  # idempotent
    assert len(midtrans_server.requests_to("POST", "/cancel")) == 1
    assert recorded_handler == [(payment.midtrans_order_id, "pending", "cancelled", False)]


def test_cancel_a_paid_payment_is_refused(start_qris, midtrans_server, notify):
    payment = start_qris()
    notify(midtrans_server.settle(payment.midtrans_order_id))
    with pytest.raises(NotCancellable):
        payment_cancel(payment=payment)


def test_cancel_when_the_customer_just_paid(start_qris, midtrans_server):
    payment = start_qris()
    midtrans_server.set_status(payment.midtrans_order_id, "settlement")
    with pytest.raises(NotCancellable):
        payment_cancel(payment=payment)
    payment.refresh_from_db()
    assert payment.status == "paid"


def test_partial_then_full_refund(start_qris, midtrans_server, notify, recorded_handler, admin_user):
    payment = start_qris(amount=25000)
    notify(midtrans_server.settle(payment.midtrans_order_id))
    payment = payment_refund(payment=payment, amount=10000, reason="Barang rusak", user=admin_user)
    assert (payment.status, payment.refunded_amount, payment.refund_reserved_amount) == ("partially_refunded", 10000, 0)
    # Midtrans' refund notification arrives: counted once
    notify(midtrans_server.notification(payment.midtrans_order_id, "partial_refund", refund_amount="10000.00"))
    payment.refresh_from_db()
    assert payment.refunded_amount == 10000
    with pytest.raises(RefundExceedsPaid):
        payment_refund(payment=payment, amount=15001, reason="lagi")
    payment = payment_refund(payment=payment, amount=15000, reason="Semua dikembalikan")
    assert (payment.status, payment.refunded_amount) == ("refunded", 25000)
    assert PaymentRefund.objects.filter(payment=payment, status="succeeded").count() == 2
    assert [c[2] for c in recorded_handler] == ["paid", "partially_refunded", "refunded"]


def test_refund_refusals_change_nothing(start_qris, midtrans_server, notify):
    payment = start_qris(amount=25000)
    with pytest.raises(NotRefundable):
        payment_refund(payment=payment, amount=1000, reason="x")
    notify(midtrans_server.settle(payment.midtrans_order_id))
    with pytest.raises(InvalidAmount):
        payment_refund(payment=payment, amount=0, reason="x")
    with pytest.raises(PaymentError):
        payment_refund(payment=payment, amount=1000, reason="  ")
    assert PaymentRefund.objects.count() == 0
    assert midtrans_server.requests_to("POST", "/refund") == []


def test_refund_failure_at_midtrans_releases_the_reserved_amount(start_qris, midtrans_server, notify):
    payment = start_qris(amount=25000)
    notify(midtrans_server.settle(payment.midtrans_order_id))
    midtrans_server.hang_next()
    with pytest.raises(GatewayUnavailable):
        payment_refund(payment=payment, amount=25000, reason="x")
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount, payment.refund_reserved_amount) == ("paid", 0, 0)
    assert PaymentRefund.objects.get().status == "failed"
    # a refund POST is never retried automatically
    assert len(midtrans_server.requests_to("POST", "/refund")) == 1


def test_reconcile_checks_only_payments_open_long_enough(start_qris, start_snap, midtrans_server, settings):
    settings.PAYMENT_RECONCILE_AFTER_MINUTES = 15
    old_paid = start_qris(reference="POS-A")
    old_expired = start_qris(reference="POS-B")
    old_snap_never_opened = start_snap(reference="ORD-C", expiry_minutes=10)
    fresh = start_qris(reference="POS-D")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Payment.objects.filter(pk__in=[old_paid.pk, old_expired.pk, old_snap_never_opened.pk]).update(
        created_at=an_hour_ago, expires_at=an_hour_ago + datetime.timedelta(minutes=10)
    )
    midtrans_server.set_status(old_paid.midtrans_order_id, "settlement")
    midtrans_server.set_status(old_expired.midtrans_order_id, "expire")
    midtrans_server.transactions.pop(old_snap_never_opened.midtrans_order_id)  # Midtrans: 404, no method chosen
    result = payments_reconcile()
    assert (result.checked, result.changed, result.paid, result.expired, result.errors) == (3, 3, 1, 2, 0)
    statuses = dict(Payment.objects.values_list("reference", "status"))
    assert statuses == {"POS-A": "paid", "POS-B": "expired", "ORD-C": "expired", "POS-D": "pending"}
    assert not midtrans_server.requests_to("GET", fresh.midtrans_order_id)
    # a second run right away asks nothing more
    before = len(midtrans_server.requests)
    assert payments_reconcile().checked == 0
    assert len(midtrans_server.requests) == before


def test_reconcile_counts_errors_and_goes_on(start_qris, midtrans_server, settings):
    settings.MIDTRANS_STATUS_RETRIES = 0
    a = start_qris(reference="POS-A")
    b = start_qris(reference="POS-B")
    Payment.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    midtrans_server.set_status(b.midtrans_order_id, "settlement")
    midtrans_server.fail_next(status=500, times=1)
    result = payments_reconcile()
    assert (result.checked, result.errors) == (1, 1)
    a.refresh_from_db()
    assert a.status == "pending"


def test_reconcile_command_and_beat_schedule(start_qris, midtrans_server):
    from io import StringIO

    from django.core.management import call_command

    from config.celery import app

    payment = start_qris()
    Payment.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    midtrans_server.set_status(payment.midtrans_order_id, "expire")
    out = StringIO()
    call_command("payments_reconcile", stdout=out)
    assert "checked=1 changed=1 paid=0 expired=1" in out.getvalue()
    assert app.conf.beat_schedule["payments-reconcile"]["task"] == "commerce.payments.tasks.payments_reconcile_task"


def test_handler_registry_dispatches_by_purpose(start_snap, start_qris, midtrans_server, notify):
    from commerce.payments.handlers import register_payment_handler, unregister_payment_handler

    seen = {"order": [], "pos_sale": []}

    def order_handler(payment, previous_status):
        seen["order"].append((payment.reference, previous_status, payment.status))

    def pos_handler(payment, previous_status):
        seen["pos_sale"].append((payment.reference, previous_status, payment.status))

    register_payment_handler("order", order_handler)
    register_payment_handler("order", order_handler)  # registering twice calls once
    register_payment_handler("pos_sale", pos_handler)
    try:
        order = start_snap(reference="ORD-1")
        sale = start_qris(reference="POS-1")
        notify(midtrans_server.settle(order.midtrans_order_id))
        notify(midtrans_server.notification(sale.midtrans_order_id, "expire"))
    finally:
        unregister_payment_handler("order", order_handler)
        unregister_payment_handler("pos_sale", pos_handler)
    assert seen == {"order": [("ORD-1", "pending", "paid")], "pos_sale": [("POS-1", "pending", "expired")]}
