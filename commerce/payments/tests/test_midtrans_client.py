"""The midtransclient wrapper against a real HTTP server on 127.0.0.1: timeouts, 5xx, retries, errors."""

import pytest

from commerce.payments.exceptions import GatewayMisconfigured, GatewayRejected, GatewayUnavailable
from commerce.payments.midtrans_client import MidtransGateway
from commerce.payments.models import Payment

pytestmark = pytest.mark.django_db


def test_snap_create_sends_amount_items_and_auth(start_snap, midtrans_server):
    payment = start_snap(
        amount=30000,
        items=[{"id": "V1", "name": "Keripik tempe", "price": 15000, "quantity": 2}],
        customer_name="Siti",
        phone="+6281234500001",
        email="siti@example.com",
        expiry_minutes=20,
    )
    request = midtrans_server.requests_to("POST", "/snap/v1/transactions")[0]
    assert request.body["transaction_details"] == {"order_id": payment.midtrans_order_id, "gross_amount": 30000}
    assert request.body["item_details"] == [{"id": "V1", "name": "Keripik tempe", "price": 15000, "quantity": 2}]
    assert request.body["expiry"] == {"unit": "minutes", "duration": 20}
    assert request.body["customer_details"]["first_name"] == "Siti"
    assert payment.snap_token and payment.redirect_url.startswith(midtrans_server.url)
    assert payment.status == "pending"


def test_snap_5xx_maps_to_gateway_unavailable_and_closes_the_payment(start_snap, midtrans_server, recorded_handler):
    midtrans_server.fail_next(status=503)
    with pytest.raises(GatewayUnavailable) as excinfo:
        start_snap()
    assert excinfo.value.code == "gateway_unavailable"
    assert "Midtrans" in excinfo.value.message
    payment = Payment.objects.get()
    assert payment.status == "failed" and payment.last_error
    assert recorded_handler == []  # the caller got the error; nobody could pay it
    # a POST is never retried
    assert len(midtrans_server.requests_to("POST", "/snap/v1/transactions")) == 1
    # and a new attempt works
    assert start_snap().status == "pending"


def test_snap_timeout_maps_to_gateway_unavailable(start_snap, midtrans_server):
    midtrans_server.hang_next()
    with pytest.raises(GatewayUnavailable, match="tepat waktu"):
        start_snap()
    assert len(midtrans_server.requests_to("POST", "/snap/v1/transactions")) == 1


def test_status_get_is_retried_after_5xx(midtrans_server, db):
    midtrans_server.set_status("ORDER-1", "settlement", gross_amount=5000)
    midtrans_server.fail_next(status=502, times=2)
    answer = MidtransGateway().status("ORDER-1")
    assert answer["transaction_status"] == "settlement"
    assert len(midtrans_server.requests_to("GET", "/v2/ORDER-1/status")) == 3


def test_status_gives_up_after_the_retries(midtrans_server, db):
    midtrans_server.set_status("ORDER-1", "settlement", gross_amount=5000)
    midtrans_server.fail_next(status=500, times=3)
    with pytest.raises(GatewayUnavailable, match="500"):
        MidtransGateway().status("ORDER-1")


def test_status_timeout_is_retried_then_reported(midtrans_server, db, settings):
    settings.MIDTRANS_STATUS_RETRIES = 1
    midtrans_server.set_status("ORDER-1", "settlement", gross_amount=5000)
    midtrans_server.hang_next(times=2)
    with pytest.raises(GatewayUnavailable):
        MidtransGateway().status("ORDER-1")
    assert len(midtrans_server.requests_to("GET", "/v2/ORDER-1/status")) == 2


def test_status_of_an_unknown_transaction_is_none(midtrans_server, db):
    assert MidtransGateway().status("NOPE") is None


def test_wrong_server_key_maps_to_misconfigured(midtrans_server, settings, db):
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-wrong"
    with pytest.raises(GatewayMisconfigured):
        MidtransGateway().status("ANY")


def test_4xx_in_the_body_maps_to_rejected(midtrans_server, db):
    midtrans_server.set_status("ORDER-2", "pending", gross_amount=5000)
    with pytest.raises(GatewayRejected):
        MidtransGateway().refund("ORDER-2", amount=100, reason="x", refund_key="k1")


def test_unreachable_gateway(settings, db):
    settings.MIDTRANS_SIMULATOR = False
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-x"
    settings.MIDTRANS_CORE_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.MIDTRANS_STATUS_RETRIES = 0
    with pytest.raises(GatewayUnavailable, match="tidak dapat dihubungi"):
        MidtransGateway().status("ANY")


def test_no_key_and_no_simulator_is_misconfigured(settings, db):
    settings.MIDTRANS_SIMULATOR = False
    settings.MIDTRANS_SERVER_KEY = ""
    with pytest.raises(GatewayMisconfigured):
        MidtransGateway()


def test_base_urls_are_per_instance_and_production_switch(settings):
    import midtransclient

    from commerce.payments.midtrans_client import core_base_url, snap_base_url

    settings.MIDTRANS_SIMULATOR = False
    settings.MIDTRANS_SERVER_KEY = "Mid-server-x"
    settings.MIDTRANS_CORE_BASE_URL = ""
    settings.MIDTRANS_SNAP_BASE_URL = ""
    settings.MIDTRANS_IS_PRODUCTION = True
    assert core_base_url() == "https://api.midtrans.com"
    assert snap_base_url() == "https://app.midtrans.com/snap/v1"
    settings.MIDTRANS_IS_PRODUCTION = False
    assert core_base_url() == "https://api.sandbox.midtrans.com"
    settings.MIDTRANS_CORE_BASE_URL = "http://127.0.0.1:1"
    gateway = MidtransGateway()
    core = gateway._core()
    assert core.api_config.get_core_api_base_url() == "http://127.0.0.1:1"
    # the library's class defaults are untouched
    assert midtransclient.config.ApiConfig.CORE_SANDBOX_BASE_URL == "https://api.sandbox.midtrans.com"
    assert midtransclient.CoreApi().api_config.get_core_api_base_url() == "https://api.sandbox.midtrans.com"


def test_simulator_uses_site_url_and_its_own_key(settings):
    from commerce.payments.midtrans_client import core_base_url, midtrans_server_key, snap_base_url

    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = ""
    settings.MIDTRANS_CORE_BASE_URL = settings.MIDTRANS_SNAP_BASE_URL = ""
    settings.SITE_URL = "http://127.0.0.1:8123"
    assert core_base_url() == "http://127.0.0.1:8123/payments/simulator/core"
    assert snap_base_url() == "http://127.0.0.1:8123/payments/simulator/snap/v1"
    assert midtrans_server_key().startswith("SB-Mid-server-SIMULATOR-")


def test_notification_override_header(start_snap, midtrans_server, settings):
    settings.MIDTRANS_NOTIFICATION_URL = "https://gemilang.example/payments/midtrans/notification/"
    start_snap()
    request = midtrans_server.requests_to("POST", "/snap/v1/transactions")[0]
    assert request.headers["X-Override-Notification"] == settings.MIDTRANS_NOTIFICATION_URL


def test_signature_helper_matches_midtrans_formula():
    import hashlib

    from commerce.payments.midtrans_signature import signature_compute, signature_is_valid

    expected = hashlib.sha512(b"ORDER-1" + b"200" + b"145000.00" + b"KEY").hexdigest()
    assert (
        signature_compute(order_id="ORDER-1", status_code="200", gross_amount="145000.00", server_key="KEY") == expected
    )
    body = {"order_id": "ORDER-1", "status_code": "200", "gross_amount": "145000.00", "signature_key": expected}
    assert signature_is_valid(body, server_key="KEY")
    assert not signature_is_valid(body | {"gross_amount": "145000"}, server_key="KEY")  # exact strings only
    assert not signature_is_valid(body | {"gross_amount": 145000}, server_key="KEY")
    assert not signature_is_valid(body, server_key="")
