"""Fixtures of the payments tests: the fake Midtrans server and payment factories."""

import pytest

from commerce.payments import testing

midtrans_server = testing.midtrans_server


@pytest.fixture
def start_snap(midtrans_server):
    """Start a Snap payment against the fake Midtrans."""
    from commerce.payments.services import payment_start_snap

    def start(reference="ORD-0001", amount=145000, **kwargs):
        return payment_start_snap(purpose="order", reference=reference, gross_amount=amount, **kwargs)

    return start


@pytest.fixture
def start_qris(midtrans_server):
    from commerce.payments.services import payment_start_qris

    def start(reference="POS-0001", amount=25000, **kwargs):
        return payment_start_qris(purpose="pos_sale", reference=reference, gross_amount=amount, **kwargs)

    return start


@pytest.fixture
def recorded_handler():
    """Register a handler for both purposes that records (order id, previous, new status, flagged)."""
    from commerce.payments.handlers import register_payment_handler, unregister_payment_handler

    calls = []

    def handler(payment, previous_status):
        calls.append((payment.midtrans_order_id, previous_status, payment.status, payment.flagged))

    for purpose in ("order", "pos_sale"):
        register_payment_handler(purpose, handler)
    yield calls
    for purpose in ("order", "pos_sale"):
        unregister_payment_handler(purpose, handler)


@pytest.fixture
def notify(client):
    """POST a notification body to the real endpoint; return the response."""

    def post(body):
        import json

        return client.post("/payments/midtrans/notification/", data=json.dumps(body), content_type="application/json")

    return post


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Role users are created per test; a fast hasher keeps the permission matrices quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
