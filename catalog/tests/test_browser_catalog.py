"""A shopper's journey in a real Chromium: search the catalogue on a phone, open a product, see its permits and stock."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_shopper_searches_and_opens_a_product(page, live_server, outlet, vendor, make_product, stock_in):
    product = make_product(vendor, name="Keripik Tempe Pedas", prices=(16000,))
    stock_in(outlet, product.variants.get(), 7)
    make_product(vendor, name="Alen-Alen Bawang", prices=(13000,))  # approved, but no stock: not listed

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/produk/")
    assert page.get_by_role("heading", name="Produk UMKM").is_visible()
    assert page.get_by_text("Alen-Alen Bawang").count() == 0

    page.fill("#q", "pedas")
    with page.expect_navigation():
        page.get_by_role("button", name="Tampilkan").click()
    page.get_by_role("link", name="Keripik Tempe Pedas").click()
    page.wait_for_url(f"**/produk/{product.slug}/")

    assert page.get_by_text("Rp16.000").first.is_visible()
    assert page.get_by_text(product.permits.get().number).is_visible()
    row = page.locator("table tr", has_text="Galeri Gemilang")
    assert row.locator("td.num").inner_text().strip() == "7"
    assert page.locator("form.add-to-cart").get_attribute("action") == "/keranjang/tambah/"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
