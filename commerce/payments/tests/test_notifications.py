"""Midtrans notifications: signature, idempotency, every status, out of order, backwards, unknown orders."""

import pytest

from commerce.payments.models import NotificationOutcome, Payment, PaymentNotification, PaymentStatusChange

pytestmark = pytest.mark.django_db


def test_valid_settlement_marks_paid_keeps_raw_body_and_calls_handler_once(
    start_snap, midtrans_server, notify, recorded_handler
):
    # given a pending Snap payment
    payment = start_snap()
    body = midtrans_server.settle(payment.midtrans_order_id)
    # when Midtrans notifies settlement
    response = notify(body)
    # then the payment is paid, the raw body is kept, the handler saw pending -> paid
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert payment.paid_at is not None
    assert payment.transaction_id == body["transaction_id"]
    stored = PaymentNotification.objects.get()
    assert stored.body == body
    assert stored.outcome == NotificationOutcome.APPLIED
    assert recorded_handler == [(payment.midtrans_order_id, "pending", "paid", False)]
    assert list(payment.history.values_list("from_status", "to_status")) == [("", "pending"), ("pending", "paid")]


def test_forged_signature_is_refused_with_403_and_changes_nothing(
    start_snap, midtrans_server, notify, recorded_handler
):
    payment = start_snap()
    midtrans_server.set_status(payment.midtrans_order_id, "settlement")
    forged = midtrans_server.notification(payment.midtrans_order_id, "settlement", server_key="SB-Mid-server-attacker")
    response = notify(forged)
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert PaymentNotification.objects.count() == 0
    assert recorded_handler == []


def test_tampered_amount_breaks_the_signature(start_snap, midtrans_server, notify):
    payment = start_snap(amount=145000)
    body = midtrans_server.settle(payment.midtrans_order_id)
    body["gross_amount"] = "1000.00"
    assert notify(body).status_code == 403
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_signed_notification_with_a_different_amount_is_flagged_not_paid(
    start_snap, midtrans_server, notify, recorded_handler
):
    payment = start_snap(amount=145000)
    midtrans_server.set_status(payment.midtrans_order_id, "settlement", gross_amount=1000)
    body = midtrans_server.notification(payment.midtrans_order_id, "settlement", gross_amount="1000.00")
    assert notify(body).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert payment.flagged and payment.flag_reason == "amount_mismatch"
    assert PaymentNotification.objects.get().outcome == NotificationOutcome.AMOUNT_MISMATCH
    assert recorded_handler == []


def test_ten_duplicates_change_nothing_after_the_first(
    start_snap, midtrans_server, notify, recorded_handler, django_capture_on_commit_callbacks
):
    payment = start_snap()
    body = midtrans_server.settle(payment.midtrans_order_id)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [notify(body) for _ in range(10)]
    assert {r.status_code for r in responses} == {200}
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert PaymentNotification.objects.count() == 10
    assert PaymentNotification.objects.filter(outcome=NotificationOutcome.DUPLICATE).count() == 9
    assert PaymentStatusChange.objects.filter(payment=payment, to_status="paid").count() == 1
    assert len(recorded_handler) == 1
    # and the Status API was asked once, after the one notification that changed something
    assert len(midtrans_server.requests_to("GET", "/status")) == 1


def test_out_of_order_pending_after_settlement_is_ignored(start_snap, midtrans_server, notify, recorded_handler):
    payment = start_snap()
    settlement = midtrans_server.settle(payment.midtrans_order_id)
    pending = midtrans_server.notification(payment.midtrans_order_id, "pending")
    notify(settlement)
    assert notify(pending).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert PaymentNotification.objects.filter(transaction_status="pending").get().outcome == NotificationOutcome.STALE
    assert len(recorded_handler) == 1


def test_backwards_settlement_then_deny_reverses_and_flags(start_snap, midtrans_server, notify, recorded_handler):
    payment = start_snap()
    notify(midtrans_server.settle(payment.midtrans_order_id))
    midtrans_server.set_status(payment.midtrans_order_id, "deny")
    assert notify(midtrans_server.notification(payment.midtrans_order_id, "deny")).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "failed"
    assert payment.flagged and payment.flag_reason == "reversed"
    assert [c[1:3] for c in recorded_handler] == [("pending", "paid"), ("paid", "failed")]


def test_unknown_order_id_is_kept_and_answered_200(midtrans_server, notify, db):
    midtrans_server.set_status("SOMEONE-ELSE-1", "settlement", gross_amount=5000)
    response = notify(midtrans_server.notification("SOMEONE-ELSE-1", "settlement"))
    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}
    assert PaymentNotification.objects.get().outcome == NotificationOutcome.UNKNOWN_ORDER
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"order_id": "x"}'])
def test_garbage_is_refused_with_400(client, db, body):
    response = client.post("/payments/midtrans/notification/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert PaymentNotification.objects.count() == 0


def test_only_post_is_accepted(client, db):
    assert client.get("/payments/midtrans/notification/").status_code == 405


@pytest.mark.parametrize(
    ("transaction_status", "fraud_status", "expected"),
    [
        ("capture", "accept", "paid"),
        ("capture", "challenge", "challenge"),
        ("capture", "deny", "failed"),
        ("deny", "", "failed"),
        ("cancel", "", "cancelled"),
        ("expire", "", "expired"),
        ("failure", "", "failed"),
    ],
)
def test_every_opening_status_maps(start_snap, midtrans_server, notify, transaction_status, fraud_status, expected):
    payment = start_snap()
    midtrans_server.set_status(payment.midtrans_order_id, transaction_status, fraud_status=fraud_status)
    notify(midtrans_server.notification(payment.midtrans_order_id, transaction_status, fraud_status=fraud_status))
    payment.refresh_from_db()
    assert payment.status == expected


def test_refund_partial_refund_and_chargeback_notifications(start_snap, midtrans_server, notify):
    payment = start_snap(amount=100000)
    notify(midtrans_server.settle(payment.midtrans_order_id))
    notify(midtrans_server.notification(payment.midtrans_order_id, "partial_refund", refund_amount="30000.00"))
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("partially_refunded", 30000)
    notify(midtrans_server.notification(payment.midtrans_order_id, "refund", refund_amount="100000.00"))
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", 100000)
    notify(midtrans_server.notification(payment.midtrans_order_id, "chargeback"))
    payment.refresh_from_db()
    assert payment.status == "chargeback"
    assert payment.flag_reason == "chargeback"


def test_challenge_then_accepted_settlement(start_snap, midtrans_server, notify):
    payment = start_snap()
    notify(midtrans_server.notification(payment.midtrans_order_id, "capture", fraud_status="challenge"))
    notify(midtrans_server.notification(payment.midtrans_order_id, "settlement"))
    payment.refresh_from_db()
    assert payment.status == "paid"


def test_paid_after_expiry_is_accepted_and_flagged(start_snap, midtrans_server, notify, recorded_handler):
    payment = start_snap()
    notify(midtrans_server.notification(payment.midtrans_order_id, "expire"))
    notify(midtrans_server.settle(payment.midtrans_order_id))
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert payment.flag_reason == "paid_after_closed"
    assert recorded_handler[-1] == (payment.midtrans_order_id, "expired", "paid", True)


def test_second_payment_for_the_same_reference_is_flagged_and_not_dispatched(
    start_snap, midtrans_server, notify, recorded_handler
):
    from commerce.payments.selectors import payment_received_total
    from commerce.payments.services import payment_cancel

    first = start_snap(reference="ORD-9")
    payment_cancel(payment=first)  # the shopper restarts payment; the first Snap page stays open at Midtrans
    second = start_snap(reference="ORD-9")
    notify(midtrans_server.settle(second.midtrans_order_id))
    # the first page is paid too
    notify(midtrans_server.settle(first.midtrans_order_id))
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == "paid" and not second.flagged
    assert first.status == "paid" and first.flag_reason == "duplicate_payment"
    assert [c[0] for c in recorded_handler if c[2] == "paid"] == [second.midtrans_order_id]
    assert payment_received_total(purpose="order", reference="ORD-9") == 145000


def test_handler_error_rolls_back_the_change_and_answers_500(start_snap, midtrans_server, client):
    import json

    from commerce.payments.handlers import register_payment_handler, unregister_payment_handler

    payment = start_snap()
    body = midtrans_server.settle(payment.midtrans_order_id)

    def broken(payment, previous_status):
        raise RuntimeError("order app is down")

    register_payment_handler("order", broken)
    client.raise_request_exception = False
    try:
        response = client.post(
            "/payments/midtrans/notification/", data=json.dumps(body), content_type="application/json"
        )
    finally:
        unregister_payment_handler("order", broken)
    assert response.status_code == 500
    payment.refresh_from_db()
    assert payment.status == "pending"
    # the raw notification is kept; Midtrans retries and the retry applies it
    assert PaymentNotification.objects.filter(order_id=payment.midtrans_order_id).count() == 1
    client.post("/payments/midtrans/notification/", data=json.dumps(body), content_type="application/json")
    payment.refresh_from_db()
    assert payment.status == "paid"


def test_notification_handling_query_count(start_snap, midtrans_server, django_assert_max_num_queries):
    from commerce.payments.services import payment_notification_handle

    payment = start_snap()
    body = midtrans_server.settle(payment.midtrans_order_id)
    with django_assert_max_num_queries(12):
        payment_notification_handle(body=body)
