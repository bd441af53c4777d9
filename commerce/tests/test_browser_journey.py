"""The shopper's whole journey in a real Chromium: search → product → cart → pickup → Snap simulator → paid order page."""

import os
import re

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_buy_pick_up_and_pay_with_the_simulator(page, live_server, settings, make_variant, put_stock, outlet):
    from commerce.models import Order, OrderStatus

    settings.SITE_URL = live_server.url
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = ""
    keripik = make_variant("Keripik Tempe Sagu", 15000)
    put_stock(outlet, keripik, 5)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone

    page.goto(f"{live_server.url}/produk/?q=keripik")
    page.get_by_role("link", name=re.compile("Keripik Tempe Sagu")).first.click()
    page.fill("#quantity", "2")
    page.locator("form.add-to-cart button[type=submit]").click()
    page.goto(f"{live_server.url}/keranjang/")
    assert page.locator("#cart-total").inner_text() == "Rp30.000"

    page.get_by_role("link", name="Checkout").click()
    page.fill("#id_name", "Siti Aminah")
    page.fill("#id_phone", "0812 3456 7890")
    page.check(f"input[name=pickup_outlet][value='{outlet.pk}']")
    page.locator("button[name=delivery_method][value=pickup]").click()
    page.wait_for_url(re.compile(r"/checkout/bayar/$"))
    assert page.locator("#order-total").inner_text() == "Rp30.000"

    page.locator("#pay-button").click()
    page.wait_for_url(re.compile(r"/payments/simulator/pay/"))
    page.locator("button[name=action][value=pay]").click()
    page.wait_for_url(re.compile(r"/pesanan/GM-"))
    order = Order.objects.get()
    assert order.status == OrderStatus.PAID
    page.reload()
    assert page.locator("#order-status").inner_text() == "Dikemas"
    assert page.locator("#pickup-code").inner_text() == order.pickup_code
    assert page.locator(".pickup-code img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
