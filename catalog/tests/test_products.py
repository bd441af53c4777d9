"""UMKM registration and product entry: validation of NIB, barcodes, prices and codes."""

from __future__ import annotations

import pytest

from catalog.barcodes import INTERNAL_CODE_ALPHABET, ean13_complete
from catalog.models import Product, ProductVariant, Vendor
from catalog.services.products import VariantInput, product_create, product_update
from catalog.services.vendors import vendor_create, vendor_update
from core.exceptions import DomainError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("nib", ["123456789012", "12345678901234", "12345678901a3", ""])
def test_nib_must_have_13_digits(owner, nib):
    with pytest.raises(DomainError) as exc:
        vendor_create(owner=owner, name="UMKM", nib=nib, kecamatan="Pule")
    assert exc.value.field == "nib"
    assert not Vendor.objects.exists()


def test_nib_is_unique_and_spaces_are_ignored(owner, other_owner):
    vendor = vendor_create(
        owner=owner, name="Madu Pule", nib="9120 0010 0000 9", kecamatan="Pule", phone="0812-3456-7890"
    )
    assert vendor.nib == "9120001000009"
    assert vendor.phone == "+6281234567890"
    with pytest.raises(DomainError) as exc:
        vendor_create(owner=other_owner, name="Lain", nib="9120001000009", kecamatan="Pule")
    assert exc.value.code == "duplicate"
    assert Vendor.objects.count() == 1


def test_vendor_update_changes_only_owner_fields(vendor):
    vendor_update(vendor=vendor, story="Cerita baru", bank_account_number="1234 5678")
    vendor.refresh_from_db()
    assert (vendor.story, vendor.bank_account_number) == ("Cerita baru", "12345678")
    with pytest.raises(DomainError):
        vendor_update(vendor=vendor, nib="9999999999999")


def test_product_gets_internal_code_and_sku_when_none_given(vendor, food_category):
    product = product_create(
        vendor=vendor,
        category=food_category,
        name="Keripik",
        net_weight="250 g",
        variants=[VariantInput(name="250 g", price=15000)],
        user=vendor.owner,
    )
    variant = product.variants.get()
    assert len(variant.internal_code) == 6 and set(variant.internal_code) <= set(INTERNAL_CODE_ALPHABET)
    assert variant.sku.endswith(variant.internal_code)
    assert product.status == "draft"
    assert product.slug.startswith("keripik-tempe-bu-sri-keripik")


@pytest.mark.parametrize(
    "variant,code",
    [
        (VariantInput(name="a", price=0), "invalid_price"),
        (VariantInput(name="a", price=-5), "invalid_price"),
        (VariantInput(name="a", price=1500, barcode="8991234567890"), "invalid_barcode"),  # wrong check digit
        (VariantInput(name="a", price=1500, barcode="12345"), "invalid_barcode"),
    ],
)
def test_bad_variants_are_refused_and_nothing_is_stored(vendor, food_category, variant, code):
    with pytest.raises(DomainError) as exc:
        product_create(vendor=vendor, category=food_category, name="X", variants=[variant], user=vendor.owner)
    assert code in [e["code"] for e in exc.value.as_errors()]
    assert not Product.objects.exists()
    assert not ProductVariant.objects.exists()


def test_barcode_and_sku_are_unique(vendor, food_category):
    barcode = ean13_complete("899100000001")
    product_create(
        vendor=vendor,
        category=food_category,
        name="A",
        variants=[VariantInput(name="a", price=1000, barcode=barcode, sku="A-1")],
        user=vendor.owner,
    )
    with pytest.raises(DomainError) as exc:
        product_create(
            vendor=vendor,
            category=food_category,
            name="B",
            variants=[VariantInput(name="b", price=1000, barcode=barcode, sku="a-1")],
            user=vendor.owner,
        )
    assert {e["code"] for e in exc.value.as_errors()} == {"duplicate"}
    assert Product.objects.count() == 1


def test_product_needs_a_variant(vendor, food_category):
    with pytest.raises(DomainError) as exc:
        product_create(vendor=vendor, category=food_category, name="Kosong", variants=[], user=vendor.owner)
    assert exc.value.code == "product_incomplete"


def test_unknown_variant_id_in_update_is_refused(variant, other_vendor, make_product):
    foreign = make_product(other_vendor, name="Batik").variants.get()
    with pytest.raises(DomainError) as exc:
        product_update(product=variant.product, variants=[VariantInput(id=foreign.pk, name="x", price=1)])
    assert exc.value.code == "not_found"
    foreign.refresh_from_db()
    assert foreign.price == 15000
