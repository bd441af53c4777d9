"""POS fixtures: a café terminal, an open shift, approved products with stock — built through the services."""

from __future__ import annotations

import datetime
import itertools
import uuid

import pytest
from django.utils import timezone

_seq = itertools.count(1)

CHECKLIST_PASS = {
    "nib": {"passed": True},
    "food_permit": {"passed": True},
    "halal": {"passed": None, "note": "not relevant"},
    "label": {"passed": True},
    "packaging": {"passed": True},
    "price": {"passed": True},
}


@pytest.fixture
def category(db):
    from catalog.models import Category

    return Category.objects.create(name="Makanan Ringan", slug="makanan-ringan-pos", requires_food_permit=True)


@pytest.fixture
def make_vendor(owner):
    from catalog.services.vendors import vendor_create

    def build(name="Keripik Tempe Bu Sri", user=None, commission_rate_bp=None):
        vendor = vendor_create(
            owner=user or owner,
            name=name,
            nib=f"{9130000000000 + next(_seq)}",
            kecamatan="Trenggalek",
            phone="081234567001",
            bank_name="Bank Jatim",
            bank_account_number="0011223344",
            bank_account_name=name,
        )
        if commission_rate_bp is not None:
            type(vendor).objects.filter(pk=vendor.pk).update(commission_rate_bp=commission_rate_bp)
            vendor.refresh_from_db()
        return vendor

    return build


@pytest.fixture
def vendor(make_vendor):
    return make_vendor()


@pytest.fixture
def make_variant(curator, category, outlet, manager, vendor):
    """An approved product variant with `stock` units counted in at the café."""
    from catalog.services.products import (
        VariantInput,
        permit_save,
        product_create,
        product_review,
        product_submit_for_review,
    )
    from catalog.services.stock import stock_adjust

    def build(name="Keripik Tempe", price=15000, stock=10, vendor_=None, at=None):
        owner_vendor = vendor_ or vendor
        product = product_create(
            vendor=owner_vendor,
            category=category,
            name=f"{name} {next(_seq)}",
            net_weight="250 g",
            description=f"{name} khas Trenggalek",
            ingredients="tempe, tepung, garam",
            variants=[VariantInput(name="250 g", price=price)],
            user=owner_vendor.owner,
        )
        permit_save(
            product=product,
            type="pirt",
            number=f"2063503010{next(_seq):05d}",
            expires_on=timezone.localdate() + datetime.timedelta(days=365),
            user=owner_vendor.owner,
        )
        product_submit_for_review(product=product, user=owner_vendor.owner)
        product_review(product=product, user=curator, decision="approve", checklist=CHECKLIST_PASS)
        variant = product.variants.get()
        if stock:
            stock_adjust(outlet=at or outlet, variant=variant, reason="count", counted=stock, user=manager)
        return variant

    return build


@pytest.fixture
def variant(make_variant):
    return make_variant()


@pytest.fixture
def terminal(outlet):
    from pos.services.terminals import terminal_create

    return terminal_create(outlet=outlet, name="Kasir 1", code="K1", printer_url="dummy:", paper_width=80)


@pytest.fixture
def shift(terminal, cashier):
    from pos.services.shifts import shift_open

    return shift_open(terminal=terminal, cashier=cashier, opening_cash=200000)


@pytest.fixture
def sell(shift, cashier):
    """Ring up a cash sale of (variant, quantity) pairs; returns the Sale."""
    from pos.services.sales import PaymentInput, SaleLineInput, sale_complete

    def ring(
        *items, tendered=None, user=None, visit=None, offline=False, on_shift=None, client_id=None, discounts=None
    ):
        lines = [
            SaleLineInput(
                variant_id=v.pk,
                quantity=q,
                discount=(discounts or {}).get(v.pk, 0),
                discount_reason="kemasan penyok" if (discounts or {}).get(v.pk) else "",
            )
            for v, q in items
        ]
        total = sum(v.price * q for v, q in items) - sum((discounts or {}).values())
        payments = (
            [PaymentInput(method="cash", amount=total, tendered=tendered if tendered is not None else total)]
            if total
            else []
        )
        return sale_complete(
            shift=on_shift or shift,
            lines=lines,
            payments=payments,
            client_id=client_id or uuid.uuid4(),
            user=user or cashier,
            visit=visit,
            offline=offline,
        )

    return ring


def stock_of(outlet, variant) -> int:
    from catalog.models import Stock

    row = Stock.objects.filter(outlet=outlet, variant=variant).first()
    return row.quantity if row else 0


from commerce.payments.testing import midtrans_server  # noqa: E402, F401
