"""Catalogue fixtures: categories, UMKM, approved products with stock — all built through the services."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

_seq = itertools.count(1)

ALL_PASS = {
    "nib": {"passed": True},
    "food_permit": {"passed": True},
    "halal": {"passed": None, "note": "not relevant"},
    "label": {"passed": True},
    "packaging": {"passed": True},
    "price": {"passed": True},
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Users are made in nearly every test here; the real PBKDF2 cost is tested by accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def next_nib() -> str:
    return f"{9120000000000 + next(_seq)}"


@pytest.fixture
def food_category(db):
    from catalog.models import Category

    return Category.objects.create(name="Makanan Ringan", slug="makanan-ringan", requires_food_permit=True)


@pytest.fixture
def craft_category(db):
    from catalog.models import Category

    return Category.objects.create(name="Kerajinan", slug="kerajinan", requires_food_permit=False, halal_relevant=False)


@pytest.fixture
def dairy_category(db):
    from catalog.models import Category

    return Category.objects.create(
        name="Olahan Susu", slug="olahan-susu", requires_food_permit=True, requires_bpom=True
    )


def _vendor(user, name):
    from catalog.services.vendors import vendor_create

    return vendor_create(
        owner=user,
        name=name,
        nib=next_nib(),
        kecamatan="Trenggalek",
        phone="081234567001",
        bank_name="Bank Jatim",
        bank_account_number="0011223344",
        bank_account_name=name,
    )


@pytest.fixture
def vendor(owner):
    return _vendor(owner, "Keripik Tempe Bu Sri")


@pytest.fixture
def other_vendor(other_owner):
    return _vendor(other_owner, "Batik Trenggalek Jaya")


@pytest.fixture
def make_product(curator, food_category):
    """Build an approved product (PIRT permit, one variant per price) through the real curation flow."""
    from catalog.services.products import (
        VariantInput,
        permit_save,
        product_create,
        product_review,
        product_submit_for_review,
    )

    def build(vendor, name="Keripik Tempe", prices=(15000,), category=None, approve=True):
        product = product_create(
            vendor=vendor,
            category=category or food_category,
            name=name,
            net_weight="250 g",
            description=f"{name} renyah khas Trenggalek",
            ingredients="tempe, tepung, garam",
            variants=[VariantInput(name=f"Varian {i + 1}", price=price) for i, price in enumerate(prices)],
            user=vendor.owner,
        )
        permit_save(
            product=product,
            type="pirt",
            number=f"2063503010{next(_seq):05d}",
            expires_on=timezone.localdate() + datetime.timedelta(days=365),
            user=vendor.owner,
        )
        if approve:
            product_submit_for_review(product=product, user=vendor.owner)
            product_review(product=product, user=curator, decision="approve", checklist=ALL_PASS)
        product.refresh_from_db()
        return product

    return build


@pytest.fixture
def stock_in(manager):
    """Deliver and receive `quantity` units of a variant at a café (the consignment flow)."""
    from catalog.services.deliveries import DeliveryLineInput, stock_delivery_create, stock_delivery_receive

    def put(outlet, variant, quantity):
        vendor = variant.product.vendor
        delivery = stock_delivery_create(
            vendor=vendor,
            outlet=outlet,
            user=vendor.owner,
            lines=[DeliveryLineInput(variant_id=variant.pk, quantity=quantity)],
        )
        return stock_delivery_receive(delivery=delivery, user=manager)

    return put


@pytest.fixture
def variant(vendor, make_product):
    return make_product(vendor).variants.get()
