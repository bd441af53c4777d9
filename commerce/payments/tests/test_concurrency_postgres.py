"""Concurrency on PostgreSQL: parallel duplicate notifications, two payments of one order, parallel refunds and starts."""

import threading

import pytest
from django.db import connection

from commerce.payments.exceptions import PaymentError
from commerce.payments.models import Payment, PaymentNotification, PaymentRefund, PaymentStatusChange

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_parallel(n, work):
    """Run work(i) in n threads, each with its own connection, started together; return results or exceptions."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # collected and asserted by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_ten_parallel_duplicate_notifications_apply_once(start_snap, midtrans_server, recorded_handler):
    from commerce.payments.services import payment_notification_handle

    payment = start_snap()
    body = midtrans_server.settle(payment.midtrans_order_id)
    results = _in_parallel(10, lambda i: payment_notification_handle(body=dict(body)))
    assert not [r for r in results if isinstance(r, Exception)]
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert PaymentNotification.objects.filter(payment=payment).count() == 10
    assert PaymentStatusChange.objects.filter(payment=payment, to_status="paid").count() == 1
    assert len(recorded_handler) == 1


def test_two_payments_of_one_order_settling_at_once_count_once(start_snap, midtrans_server, recorded_handler):
    from commerce.payments.selectors import payment_received_total
    from commerce.payments.services import payment_cancel, payment_notification_handle

    first = start_snap(reference="ORD-RACE")
    payment_cancel(payment=first)
    second = start_snap(reference="ORD-RACE")
    bodies = [midtrans_server.settle(first.midtrans_order_id), midtrans_server.settle(second.midtrans_order_id)]
    results = _in_parallel(2, lambda i: payment_notification_handle(body=bodies[i]))
    assert not [r for r in results if isinstance(r, Exception)]
    payments = list(Payment.objects.filter(reference="ORD-RACE"))
    assert sorted(p.status for p in payments) == ["paid", "paid"]
    assert sum(p.flag_reason == "duplicate_payment" for p in payments) == 1
    assert len([c for c in recorded_handler if c[2] == "paid"]) == 1
    assert payment_received_total(purpose="order", reference="ORD-RACE") == 145000


def test_parallel_refunds_never_exceed_the_payment(start_qris, midtrans_server):
    from commerce.payments.services import payment_notification_handle, payment_refund

    payment = start_qris(amount=25000)
    payment_notification_handle(body=midtrans_server.settle(payment.midtrans_order_id))
    results = _in_parallel(5, lambda i: payment_refund(payment=payment, amount=10000, reason=f"retur {i}"))
    succeeded = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, PaymentError)]
    assert len(succeeded) == 2 and len(refused) == 3
    assert {r.code for r in refused} == {"refund_exceeds_paid"}
    payment.refresh_from_db()
    assert (payment.refunded_amount, payment.refund_reserved_amount, payment.status) == (20000, 0, "partially_refunded")
    assert PaymentRefund.objects.filter(payment=payment, status="succeeded").count() == 2
    assert len(midtrans_server.requests_to("POST", "/refund")) == 2


def test_parallel_starts_for_one_reference_open_one_payment(midtrans_server):
    from commerce.payments.services import payment_start_snap

    results = _in_parallel(
        6, lambda i: payment_start_snap(purpose="order", reference="ORD-DOUBLE-CLICK", gross_amount=50000)
    )
    payments = [r for r in results if isinstance(r, Payment)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, PaymentError) and e.code == "payment_in_progress" for e in errors), errors
    assert Payment.objects.filter(reference="ORD-DOUBLE-CLICK").count() == 1
    assert len({p.pk for p in payments}) == 1
    assert len(midtrans_server.requests_to("POST", "/snap/v1/transactions")) == 1
