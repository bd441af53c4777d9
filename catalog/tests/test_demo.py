"""The demo catalogue: built through the services, approved, consigned to cafés, and idempotent."""

import io

import pytest
from django.db.models import Sum

from catalog.models import Product, ProductStatus, Stock, StockMovement, Vendor
from catalog.selectors import variants_sellable


@pytest.mark.django_db
def test_demo_catalogue_is_consigned_through_the_ledger_and_idempotent(roles):
    from accounts import demo as accounts_demo
    from catalog import demo

    accounts_demo.populate(stdout=io.StringIO())
    demo.populate(stdout=io.StringIO())
    counts = (Vendor.objects.count(), Product.objects.count(), StockMovement.objects.count())
    demo.populate(stdout=io.StringIO())

    assert (Vendor.objects.count(), Product.objects.count(), StockMovement.objects.count()) == counts
    assert counts[0] == 6 and counts[1] == 20
    assert Vendor.objects.filter(owner__username="pemilik").count() == 1
    assert Product.objects.filter(status=ProductStatus.APPROVED).count() == 20
    assert variants_sellable().filter(barcode="").count() == 0
    galeri = Stock.objects.filter(outlet__code="GLR")
    assert galeri.count() == variants_sellable().count()
    assert (
        galeri.aggregate(total=Sum("quantity"))["total"]
        == StockMovement.objects.filter(outlet__code="GLR").aggregate(total=Sum("quantity"))["total"]
    )
