"""The Snap simulator page in a real Chromium: pick a method, pay, come back to a paid payment."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_shopper_pays_on_the_simulator_page(page, live_server, settings):
    from commerce.payments.models import Payment
    from commerce.payments.services import payment_start_snap

    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = ""
    settings.MIDTRANS_CORE_BASE_URL = settings.MIDTRANS_SNAP_BASE_URL = settings.MIDTRANS_NOTIFICATION_URL = ""
    settings.SITE_URL = live_server.url
    payment = payment_start_snap(purpose="order", reference="ORD-BROWSER-1", gross_amount=87500)

    page.set_viewport_size({"width": 390, "height": 800})  # a phone
    page.goto(payment.redirect_url)
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator(".payments-simulator-banner").is_visible()
    assert page.locator(".payments-amount").inner_text() == "Rp87.500"
    page.select_option("#payment-type", "bank_transfer")
    with page.expect_navigation():
        page.get_by_role("button", name="Bayar").click()

    assert page.url == f"{live_server.url}/payments/status/{payment.midtrans_order_id}/"
    assert page.locator("[data-status]").get_attribute("data-status") == "paid"
    assert page.locator("[data-status]").inner_text() == "Lunas"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    payment = Payment.objects.get(pk=payment.pk)
    assert (payment.status, payment.payment_type) == ("paid", "bank_transfer")
