"""The built-in Midtrans simulator: same client code, pages for the shopper, signed notifications to the app."""

import base64
import json

import pytest

from commerce.payments.models import Payment, SimulatedTransaction
from commerce.payments.simulator.services import simulator_token_make


@pytest.fixture
def simulator(settings):
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = ""
    settings.MIDTRANS_CORE_BASE_URL = ""
    settings.MIDTRANS_SNAP_BASE_URL = ""
    settings.MIDTRANS_NOTIFICATION_URL = ""
    settings.MIDTRANS_TIMEOUT_SECONDS = 5
    return settings


def _auth(key=None):
    from commerce.payments.midtrans_client import midtrans_server_key

    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{key or midtrans_server_key()}:".encode()).decode()}


@pytest.mark.django_db(transaction=True)
def test_snap_journey_through_the_simulator_over_http(simulator, live_server, client):
    """Start Snap, open the simulator page, pay: the signed notification and the status check make it paid."""
    from commerce.payments.services import payment_start_snap

    simulator.SITE_URL = live_server.url
    payment = payment_start_snap(purpose="order", reference="ORD-SIM-1", gross_amount=45000)
    assert payment.redirect_url.startswith(f"{live_server.url}/payments/simulator/pay/")
    page = client.get(payment.redirect_url.replace(live_server.url, ""))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Rp45.000" in body and payment.midtrans_order_id in body
    assert "payments-simulator-banner" in body
    # when the shopper pays with GoPay on the simulator page
    response = client.post(
        payment.redirect_url.replace(live_server.url, ""), {"action": "pay", "payment_type": "gopay"}
    )
    # then the app got a signed notification over HTTP and the payment is paid
    assert response.status_code == 302 and response["Location"] == f"/payments/status/{payment.midtrans_order_id}/"
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert payment.payment_type == "gopay"
    assert payment.last_checked_at is not None  # confirmed with the (simulated) Status API
    assert payment.notifications.get().outcome == "applied"
    assert SimulatedTransaction.objects.get(order_id=payment.midtrans_order_id).notified_at is not None
    status_page = client.get(response["Location"]).content.decode()
    assert 'data-status="paid"' in status_page


@pytest.mark.django_db(transaction=True)
def test_qris_refund_and_cancel_through_the_simulator(simulator, live_server, client):
    from commerce.payments.services import payment_cancel, payment_refund, payment_start_qris

    simulator.SITE_URL = live_server.url
    sale = payment_start_qris(purpose="pos_sale", reference="POS-SIM-1", gross_amount=20000)
    assert sale.qr_string.startswith(f"{live_server.url}/payments/simulator/pay/")
    assert client.get(sale.qr_image_url.replace(live_server.url, ""))["Content-Type"] == "image/svg+xml"
    client.post(sale.qr_string.replace(live_server.url, ""), {"action": "pay"})
    sale.refresh_from_db()
    assert sale.status == "paid"
    sale = payment_refund(payment=sale, amount=5000, reason="Retur satu barang")
    assert (sale.status, sale.refunded_amount) == ("partially_refunded", 5000)
    assert SimulatedTransaction.objects.get(order_id=sale.midtrans_order_id).refunded_amount == 5000
    # a QR nobody scanned is cancelled; its page then refuses to be paid
    other = payment_start_qris(purpose="pos_sale", reference="POS-SIM-2", gross_amount=7000)
    assert payment_cancel(payment=other).status == "cancelled"
    client.post(other.qr_string.replace(live_server.url, ""), {"action": "pay"})
    other.refresh_from_db()
    assert other.status == "cancelled"
    assert 'data-status="cancel"' in client.get(other.qr_string.replace(live_server.url, "")).content.decode()


@pytest.mark.django_db
def test_simulator_is_off_without_the_setting(settings, client):
    settings.MIDTRANS_SIMULATOR = False
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-real"
    token = simulator_token_make(order_id="X-1", gross_amount=1000, kind="snap", expires_at=4102444800)
    assert client.get(f"/payments/simulator/pay/{token}/").status_code == 404
    assert client.get("/payments/simulator/core/v2/X-1/status", **_auth("SB-Mid-server-real")).status_code == 404


@pytest.mark.django_db
def test_simulator_api_needs_the_server_key(simulator, client):
    body = {"transaction_details": {"order_id": "X-1", "gross_amount": 1000}}
    response = client.post(
        "/payments/simulator/snap/v1/transactions",
        data=json.dumps(body),
        content_type="application/json",
        **_auth("SB-Mid-server-guess"),
    )
    assert response.status_code == 401
    response = client.post(
        "/payments/simulator/snap/v1/transactions", data=json.dumps(body), content_type="application/json", **_auth()
    )
    assert response.status_code == 201 and response.json()["token"]


@pytest.mark.django_db
def test_simulator_refuses_bad_requests(simulator, client):
    post = lambda path, body: client.post(path, data=json.dumps(body), content_type="application/json", **_auth())  # noqa: E731
    assert (
        post(
            "/payments/simulator/snap/v1/transactions", {"transaction_details": {"order_id": "X", "gross_amount": -1}}
        ).status_code
        == 400
    )
    charge = post(
        "/payments/simulator/core/v2/charge",
        {"payment_type": "bank_transfer", "transaction_details": {"order_id": "X", "gross_amount": 5}},
    )
    assert charge.json()["status_code"] == "400"
    assert client.get("/payments/simulator/core/v2/NOPE/status", **_auth()).status_code == 404
    assert client.get("/payments/simulator/pay/forged-token/").status_code == 404


@pytest.mark.django_db
def test_pay_page_expired_token_only_expires(simulator, client, settings):
    settings.SITE_URL = "http://127.0.0.1:9"  # nothing listens: the notification fails and is kept for a resend
    token = simulator_token_make(order_id="X-OLD", gross_amount=1000, kind="snap", expires_at=1)
    page = client.get(f"/payments/simulator/pay/{token}/").content.decode()
    assert 'value="pay"' not in page and 'value="expire"' in page
    client.post(f"/payments/simulator/pay/{token}/", {"action": "pay"})
    tx = SimulatedTransaction.objects.get(order_id="X-OLD")
    assert tx.transaction_status == "expire"
    assert Payment.objects.count() == 0


@pytest.mark.django_db
def test_failed_notification_is_recorded_and_can_be_resent(
    simulator, client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:9"
    token = simulator_token_make(order_id="X-2", gross_amount=1000, kind="qris", expires_at=4102444800)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/payments/simulator/pay/{token}/", {"action": "pay"})
    tx = SimulatedTransaction.objects.get(order_id="X-2")
    assert tx.notify_attempts == 1 and tx.last_error and tx.notified_at is None
    client.post(f"/payments/simulator/pay/{token}/", {"action": "resend"})
    tx.refresh_from_db()
    assert tx.notify_attempts == 2
