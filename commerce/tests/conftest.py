"""Storefront fixtures: sellable products with stock at cafés, carts, placed orders, the Midtrans stand-in."""

from __future__ import annotations

import itertools

import pytest

from commerce.payments.testing import midtrans_server  # noqa: F401 - a real HTTP server on 127.0.0.1 playing Midtrans

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs about a second per demo user on a CI core; these tests are not about passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_console_messages():
    from core.messaging import ConsoleProvider

    ConsoleProvider.sent.clear()
    yield
    ConsoleProvider.sent.clear()


@pytest.fixture
def vendor(owner):
    from catalog.models import Vendor

    n = next(_seq)
    return Vendor.objects.create(
        name=f"Keripik Tempe Bu Sri {n}",
        slug=f"keripik-bu-sri-{n}",
        nib=f"{9120000000000 + n}",
        owner=owner,
        commission_rate_bp=1500,
        kecamatan="Trenggalek",
    )


@pytest.fixture
def other_vendor(other_owner):
    from catalog.models import Vendor

    n = next(_seq)
    return Vendor.objects.create(
        name=f"Batik Jaya {n}",
        slug=f"batik-jaya-{n}",
        nib=f"{9130000000000 + n}",
        owner=other_owner,
        commission_rate_bp=2000,
        kecamatan="Durenan",
    )


@pytest.fixture
def make_variant(vendor):
    """Build an approved product with one variant at `price` (sellable)."""
    from catalog.models import Category, Product, ProductStatus, ProductVariant
    from catalog.services.search_index import products_search_reindex

    category, _ = Category.objects.get_or_create(slug="makanan-ringan", defaults={"name": "Makanan Ringan"})

    def build(name: str = "Keripik Tempe", price: int = 15000, for_vendor=None):
        n = next(_seq)
        product = Product.objects.create(
            vendor=for_vendor or vendor, category=category, name=name, slug=f"p-{n}", status=ProductStatus.APPROVED
        )
        variant = ProductVariant.objects.create(
            product=product, name="250 g", sku=f"SKU-{n:05d}", internal_code=f"K{n:05d}", price=price
        )
        # Products made here skip the catalogue's services, so index them for search as those would.
        products_search_reindex(product_ids=[product.pk])
        return variant

    return build


@pytest.fixture
def put_stock(manager):
    """Set a café's stock of a variant through the ledger (a stock count)."""
    from catalog.services.stock import stock_adjust

    def put(outlet, variant, quantity: int):
        stock_adjust(outlet=outlet, variant=variant, reason="count", counted=quantity, user=manager)

    return put


@pytest.fixture
def delivery_fees(db):
    from commerce.services.delivery_fees import delivery_fee_set

    delivery_fee_set(kecamatan="Trenggalek", fee=10000)
    delivery_fee_set(kecamatan="Durenan", fee=15000)
    delivery_fee_set(kecamatan="Panggul", fee=30000, is_active=False)


@pytest.fixture
def two_products(make_variant, put_stock, outlet):
    keripik = make_variant("Keripik Tempe", 15000)
    alen = make_variant("Alen-alen", 12000)
    put_stock(outlet, keripik, 10)
    put_stock(outlet, alen, 10)
    return keripik, alen


@pytest.fixture
def ready_checkout(two_products, outlet):
    """An anonymous cart of 2 keripik + 1 alen-alen, for pickup at Galeri Gemilang, contact given."""
    from commerce.services.checkout import (
        LineInput,
        checkout_contact_update,
        checkout_create,
        checkout_delivery_method_update,
    )

    keripik, alen = two_products
    checkout = checkout_create(lines=[LineInput(keripik.pk, 2), LineInput(alen.pk, 1)])
    checkout_contact_update(checkout=checkout, name="Siti Aminah", phone="081234567890", email="siti@example.id")
    return checkout_delivery_method_update(checkout=checkout, pickup_outlet=outlet)


@pytest.fixture
def placed_order(ready_checkout, midtrans_server):  # noqa: F811
    """An unpaid order (42.000) with its pending Snap payment at the Midtrans stand-in."""
    from commerce.services.checkout import checkout_complete

    return checkout_complete(checkout=ready_checkout).order


GATEWAY_STATUS = {"paid": "settlement", "expired": "expire", "failed": "deny", "cancelled": "cancel"}


def notify(fake, order, transaction_status: str, *, payment=None):
    """Let the Midtrans stand-in know the new status and deliver its signed notification (the production path)."""
    from commerce.payments.services import payment_notification_handle
    from commerce.services.order_payments import order_payment_current

    payment = payment or order_payment_current(order)
    fake.set_status(payment.midtrans_order_id, transaction_status)
    payment_notification_handle(body=fake.notification(payment.midtrans_order_id, transaction_status))
    payment.refresh_from_db()
    order.refresh_from_db()
    return payment
