"""The storefront API: products, product, categories, vendors; constant queries per page."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id
from PIL import Image

from catalog.models import Product

pytestmark = pytest.mark.django_db

PRODUCTS = """
query($first: Int, $after: String, $filter: ProductFilterInput, $sortBy: ProductSortingInput, $outlet: ID) {
  products(first: $first, after: $after, filter: $filter, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name slug vendor { name } category { name } price { amount currency } thumbnail(size: 160)
      variants { id sku barcode name price { amount } quantityAvailable(outlet: $outlet) }
      permits { type number expiresOn }
    } }
  }
}
"""


def jpeg_bytes(size=(400, 300), color=(200, 120, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def shelf(outlet, vendor, other_vendor, make_product, stock_in):
    """Some listed products with stock and a photo, one without stock, one draft."""
    from django.core.files.base import ContentFile

    from catalog.services.images import product_image_add

    listed = []
    for i in range(6):
        product = make_product(vendor if i % 2 else other_vendor, name=f"Produk {i}", prices=(10000 + i * 1000, 30000))
        for variant in product.variants.all():
            stock_in(outlet, variant, 3)
        product_image_add(product=product, upload=ContentFile(jpeg_bytes(), name="foto.jpg"))
        listed.append(product)
    make_product(vendor, name="Tanpa Stok")
    make_product(vendor, name="Masih Draf", approve=False)
    return listed


def run_counting(gql, query, variables):
    with CaptureQueriesContext(connection) as ctx:
        result = gql(query, variables)
    assert "errors" not in result, result
    return result, len(ctx.captured_queries)


def test_products_lists_only_listed_products_in_stock(gql, shelf, outlet):
    data = gql(PRODUCTS, {"first": 20, "outlet": to_global_id("Outlet", outlet.pk)})["data"]["products"]
    names = [e["node"]["name"] for e in data["edges"]]
    assert names == [f"Produk {i}" for i in range(6)]
    assert data["totalCount"] == 6
    node = data["edges"][0]["node"]
    assert node["price"] == {"amount": 10000, "currency": "IDR"}
    assert node["thumbnail"].endswith("-160.webp")
    assert [v["quantityAvailable"] for v in node["variants"]] == [3, 3]
    assert node["permits"][0]["type"] == "PIRT"


def test_products_first_20_and_first_100_cost_the_same_queries(gql, shelf, outlet, vendor, make_product, stock_in):
    for i in range(20):  # more than a page of 20
        product = make_product(vendor, name=f"Tambahan {i}", prices=(5000, 6000))
        stock_in(outlet, product.variants.first(), 2)
    variables = {"outlet": to_global_id("Outlet", outlet.pk)}
    small, small_queries = run_counting(gql, PRODUCTS, {**variables, "first": 20})
    large, large_queries = run_counting(gql, PRODUCTS, {**variables, "first": 100})
    assert len(small["data"]["products"]["edges"]) == 20
    assert len(large["data"]["products"]["edges"]) == 26
    assert small_queries == large_queries
    assert large_queries <= 10


def test_products_search_filters_and_sorting(gql, shelf, outlet, other_outlet, vendor):
    def names(variables):
        result = gql(PRODUCTS, {"first": 50, **variables})
        assert "errors" not in result, result
        return [e["node"]["name"] for e in result["data"]["products"]["edges"]]

    assert names({"filter": {"search": "produk 3"}}) == ["Produk 3"]
    assert names({"filter": {"search": "prod"}}) == [f"Produk {i}" for i in range(6)]  # prefix match
    assert names({"filter": {"search": "keripik bu sri"}}) == ["Produk 1", "Produk 3", "Produk 5"]  # by UMKM
    assert names({"filter": {"vendor": to_global_id("Vendor", vendor.pk)}}) == ["Produk 1", "Produk 3", "Produk 5"]
    assert names({"filter": {"priceGte": 12000, "priceLte": 14000}}) == ["Produk 2", "Produk 3", "Produk 4"]
    assert names({"filter": {"outlet": to_global_id("Outlet", other_outlet.pk)}}) == []
    assert names({"sortBy": {"field": "PRICE", "direction": "DESC"}})[0] == "Produk 5"
    assert names({"filter": {"search": "tidakada"}}) == []


def test_products_pagination_with_cursor(gql, shelf):
    first = gql(PRODUCTS, {"first": 4})["data"]["products"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = gql(PRODUCTS, {"first": 4, "after": first["pageInfo"]["endCursor"]})["data"]["products"]
    assert [e["node"]["name"] for e in rest["edges"]] == ["Produk 4", "Produk 5"]


def test_products_refuses_more_than_100(gql, shelf):
    result = gql(PRODUCTS, {"first": 101})
    assert result["errors"]


PRODUCT = """
query($id: ID, $slug: String) { product(id: $id, slug: $slug) { name status rejectionReason auditTrail { action } } }
"""


def test_product_by_slug_and_id_hides_drafts_from_the_public(gql, shelf, vendor, customer_user, other_owner, curator):
    draft = Product.objects.get(name="Masih Draf")
    public = gql(PRODUCT, {"slug": shelf[0].slug})["data"]["product"]
    assert public["name"] == "Produk 0" and public["auditTrail"] is None and public["rejectionReason"] is None
    assert gql(PRODUCT, {"slug": draft.slug})["data"]["product"] is None
    draft_id = to_global_id("Product", draft.pk)
    assert gql(PRODUCT, {"id": draft_id}, user=customer_user)["data"]["product"] is None
    assert gql(PRODUCT, {"id": draft_id}, user=other_owner)["data"]["product"] is None
    own = gql(PRODUCT, {"id": draft_id}, user=vendor.owner)["data"]["product"]
    assert own["status"] == "DRAFT" and [a["action"] for a in own["auditTrail"]] == ["permit_added", "created"]
    assert gql(PRODUCT, {"id": draft_id}, user=curator)["data"]["product"]["status"] == "DRAFT"


def test_categories_vendors_and_vendor_private_fields(gql, shelf, vendor, other_owner):
    query = "query($id: ID!) { categories { name } vendors(first: 10) { totalCount edges { node { name } } } vendor(id: $id) { name nib bankAccountNumber } }"
    variables = {"id": to_global_id("Vendor", vendor.pk)}
    public = gql(query, variables)["data"]
    assert [c["name"] for c in public["categories"]] == ["Makanan Ringan"]
    assert public["vendors"]["totalCount"] == 2
    assert public["vendor"] == {"name": vendor.name, "nib": None, "bankAccountNumber": None}
    assert gql(query, variables, user=other_owner)["data"]["vendor"]["nib"] is None
    mine = gql(query, variables, user=vendor.owner)["data"]["vendor"]
    assert (mine["nib"], mine["bankAccountNumber"]) == (vendor.nib, "0011223344")


STOCK = "query($o: ID!, $v: ID!) { stock(outlet: $o, variant: $v) { quantity reserved available } }"


@pytest.mark.parametrize(
    "who,allowed",
    [
        (None, False),
        ("customer_user", False),
        ("cashier", True),
        ("manager", True),
        ("curator", False),
        ("owner", True),
        ("other_owner", False),
        ("officer", False),
    ],
)
def test_stock_query_permissions(request, gql, shelf, outlet, who, allowed):
    variant = shelf[1].variants.first()  # a product of `owner`'s UMKM
    user = request.getfixturevalue(who) if who else None
    result = gql(
        STOCK, {"o": to_global_id("Outlet", outlet.pk), "v": to_global_id("ProductVariant", variant.pk)}, user=user
    )
    if allowed:
        assert result["data"]["stock"] == {"quantity": 3, "reserved": 0, "available": 3}
    else:
        assert result["data"]["stock"] is None and result["errors"]


def test_curation_queue_is_for_curators(gql, curator, customer_user, vendor, make_product):
    from catalog.services.products import product_submit_for_review

    product = make_product(vendor, name="Antre", approve=False)
    product_submit_for_review(product=product, user=vendor.owner)
    query = "{ curationQueue(first: 10) { totalCount edges { node { name permits { number } } } } }"
    assert gql(query, user=curator)["data"]["curationQueue"]["totalCount"] == 1
    for user in (None, customer_user, vendor.owner):
        result = gql(query, user=user)
        assert result["data"]["curationQueue"] is None and result["errors"]


def test_units_held_by_reservations_do_not_count_as_in_stock(gql, outlet, other_outlet, vendor, make_product, stock_in):
    import datetime

    from django.utils import timezone

    from catalog.models import Reservation
    from catalog.services.stock import StockLine, stock_reserve

    def listed(**filters):
        result = gql(PRODUCTS, {"first": 50, "filter": filters})
        assert "errors" not in result, result
        return sorted(e["node"]["name"] for e in result["data"]["products"]["edges"])

    def hold(at, product, quantity):
        return stock_reserve(
            outlet=at,
            lines=[StockLine(product.variants.get().pk, quantity)],
            expires_at=timezone.now() + datetime.timedelta(minutes=30),
            reference=f"hold-{product.pk}-{at.pk}",
        )

    held_all, held_part, held_here, expired = (
        make_product(vendor, name=name, prices=(10000,)) for name in ("Semua", "Sebagian", "Di Sini", "Kedaluwarsa")
    )
    for product in (held_all, held_part, held_here, expired):
        stock_in(outlet, product.variants.get(), 2)
    stock_in(other_outlet, held_here.variants.get(), 1)
    hold(outlet, held_all, 2)  # every unit held: not in stock anywhere
    hold(outlet, held_part, 1)  # one of two held: still in stock
    hold(other_outlet, held_here, 1)  # all held at the other café, free here
    old = hold(outlet, expired, 2)
    Reservation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert listed() == ["Di Sini", "Kedaluwarsa", "Sebagian"]
    assert listed(outlet=to_global_id("Outlet", outlet.pk)) == ["Di Sini", "Kedaluwarsa", "Sebagian"]
    assert listed(outlet=to_global_id("Outlet", other_outlet.pk)) == []
    assert gql(PRODUCTS, {"first": 50})["data"]["products"]["totalCount"] == 3


def test_price_filters_apply_to_the_price_shown(gql, shelf):
    """A product shows its cheapest active variant's price; the range filters compare that price."""

    def names(**filters):
        result = gql(PRODUCTS, {"first": 50, "filter": filters})
        return [e["node"]["name"] for e in result["data"]["products"]["edges"]]

    # Each shelf product has variants at 10.000 + i × 1.000 and 30.000.
    assert names(priceGte=14000) == ["Produk 4", "Produk 5"]  # the 30.000 variant does not make the others match
    assert names(priceLte=11000) == ["Produk 0", "Produk 1"]
    assert names(priceGte=11000, priceLte=11000) == ["Produk 1"]
    cheap = shelf[5].variants.order_by("price").first()
    type(cheap).objects.filter(pk=cheap.pk).update(is_active=False)  # Produk 5 is now shown at 30.000
    assert names(priceGte=14000) == ["Produk 4", "Produk 5"] and names(priceLte=15000) == [
        f"Produk {i}" for i in range(5)
    ]
