"""The catalogue screens: storefront pages, the owner's, the curator's and the café's, with their permission matrix."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import PersonalDataAccess
from catalog.models import (
    Product,
    ProductImage,
    ProductStatus,
    Stock,
    StockDelivery,
    StockMovement,
    StockTransfer,
    Vendor,
)

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "customer_user", "cashier", "officer", "manager", "curator", "owner", "other_owner", "admin_user"]


@pytest.fixture
def shop(outlet, vendor, make_product, stock_in):
    product = make_product(vendor, name="Keripik Tempe Pedas", prices=(15000, 28000))
    for v in product.variants.all():
        stock_in(outlet, v, 4)
    return product


def login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


# --- storefront ----------------------------------------------------------------------------------


def test_product_list_in_indonesian_with_search_and_filters(client, shop, vendor, make_product):
    make_product(vendor, name="Tanpa Stok")
    body = client.get(reverse("catalog:product-list")).content.decode()
    assert "Keripik Tempe Pedas" in body and "Tanpa Stok" not in body
    assert "Produk UMKM" in body and "Rp15.000" in body
    assert "Keripik Tempe Pedas" in client.get(reverse("catalog:product-list"), {"q": "pedas"}).content.decode()
    assert "Keripik Tempe Pedas" not in client.get(reverse("catalog:product-list"), {"q": "batik"}).content.decode()
    assert (
        "Keripik Tempe Pedas"
        not in client.get(reverse("catalog:product-list"), {"harga_min": "20000"}).content.decode()
    )
    assert client.get(reverse("catalog:product-list"), {"harga_min": "abc", "page": "x"}).status_code == 200


def test_product_list_queries_do_not_grow_with_products(
    client, outlet, vendor, make_product, stock_in, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            p = make_product(vendor, name=f"Produk {Product.objects.count()}-{i}")
            stock_in(outlet, p.variants.first(), 1)

    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("catalog:product-list"))
    add(10)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("catalog:product-list"))
    assert len(many.captured_queries) == len(few.captured_queries)
    # The count, the page, its photos, and the three filter lists; an unused filter costs nothing.
    assert len(many.captured_queries) == 6, [q["sql"][:80] for q in many.captured_queries]


def test_product_page_shows_permits_availability_story_and_cart_form(client, shop, outlet):
    response = client.get(reverse("catalog:product-detail", args=[shop.slug]))
    body = response.content.decode()
    assert 'action="/keranjang/tambah/"' in body
    assert 'name="variant_id"' in body and 'name="quantity"' in body and 'name="next"' in body
    assert shop.permits.get().number in body
    assert "Galeri Gemilang" in body and "Sejak" not in body  # availability row; story of the fixture UMKM is empty
    assert "Ketersediaan per kafe" in body


def test_product_page_queries_do_not_grow_with_variants(client, outlet, vendor, make_product, stock_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one = make_product(vendor, name="Satu", prices=(1000,))
    many = make_product(vendor, name="Banyak", prices=(1000, 2000, 3000, 4000))
    for p in (one, many):
        for v in p.variants.all():
            stock_in(outlet, v, 1)
    with CaptureQueriesContext(connection) as a:
        client.get(reverse("catalog:product-detail", args=[one.slug]))
    with CaptureQueriesContext(connection) as b:
        client.get(reverse("catalog:product-detail", args=[many.slug]))
    assert len(a.captured_queries) == len(b.captured_queries)


@pytest.mark.parametrize(
    "who,status", [("anonymous", 404), ("customer_user", 404), ("other_owner", 404), ("owner", 200), ("curator", 200)]
)
def test_draft_page_only_for_its_owner_and_curators(request, client, vendor, make_product, who, status):
    draft = make_product(vendor, name="Rahasia", approve=False)
    login(client, request, who)
    assert client.get(reverse("catalog:product-detail", args=[draft.slug])).status_code == status


# --- permission matrix of the back-office screens ---------------------------------------------


def screens(shop, delivery):
    return {
        "catalog:owner-dashboard": ([], {"owner", "other_owner", "admin_user"}),
        "catalog:vendor-create": ([], {"owner", "other_owner", "admin_user"}),
        "catalog:vendor-edit": ([shop.vendor_id], {"owner", "admin_user"}),
        "catalog:product-create": ([], {"owner", "other_owner", "admin_user"}),
        "catalog:product-edit": ([shop.pk], {"owner", "admin_user"}),
        "catalog:product-manage": ([shop.pk], {"owner", "admin_user"}),
        # the other owner reaches these for their own UMKM only (see the POST tests)
        "catalog:delivery-create": ([], {"owner", "other_owner", "admin_user"}),
        "catalog:product-import": ([], {"owner", "other_owner", "admin_user"}),
        "catalog:curation": ([], {"curator", "admin_user"}),
        "catalog:product-review": ([shop.pk], {"curator", "admin_user"}),
        "catalog:outlet-stock": ([], {"cashier", "manager", "admin_user"}),
        "catalog:delivery-receive": ([delivery.pk], {"manager", "admin_user"}),
        "catalog:stock-import": ([], {"manager", "admin_user"}),
        "catalog:labels": ([shop.pk], {"owner", "curator", "cashier", "manager", "admin_user"}),
    }


@pytest.mark.parametrize("who", USERS)
def test_back_office_screens_permission_matrix(request, client, shop, outlet, who, other_owner):
    from catalog.services.deliveries import DeliveryLineInput, stock_delivery_create

    from .conftest import _vendor

    _vendor(other_owner, "UMKM Lain")  # the other owner has a business of their own
    delivery = stock_delivery_create(
        vendor=shop.vendor, outlet=outlet, lines=[DeliveryLineInput(shop.variants.first().pk, 2)]
    )
    login(client, request, who)
    for name, (args, allowed) in screens(shop, delivery).items():
        response = client.get(reverse(name, args=args))
        if who in allowed:
            assert response.status_code == 200, (name, who, response.status_code)
        elif who == "anonymous":
            assert response.status_code == 302 and "/akun/login/" in response["Location"], (name, who)
        else:
            assert response.status_code in (403, 404), (name, who, response.status_code)


# --- the owner's work ----------------------------------------------------------------------------


def test_owner_registers_a_vendor_and_bad_nib_changes_nothing(client, owner):
    client.force_login(owner)
    data = {"name": "Madu Pule", "nib": "12345", "kecamatan": "Pule"}
    response = client.post(reverse("catalog:vendor-create"), data)
    assert response.status_code == 200 and "13 angka" in response.content.decode()
    assert not Vendor.objects.exists()
    data["nib"] = "9120001000777"
    assert client.post(reverse("catalog:vendor-create"), data).status_code == 302
    assert Vendor.objects.get().owner == owner


def test_owner_creates_a_product_adds_a_permit_and_submits(client, vendor, food_category):
    client.force_login(vendor.owner)
    data = {
        "category": food_category.pk,
        "name": "Gula Semut",
        "net_weight": "250 g",
        "description": "",
        "ingredients": "",
        "shelf_life_days": "",
        "umkm": vendor.pk,
        "variant-TOTAL_FORMS": "1",
        "variant-INITIAL_FORMS": "0",
        "variant-MIN_NUM_FORMS": "1",
        "variant-MAX_NUM_FORMS": "30",
        "variant-0-name": "250 g",
        "variant-0-price": "22000",
        "variant-0-sku": "",
        "variant-0-barcode": "",
        "variant-0-is_active": "on",
    }
    response = client.post(reverse("catalog:product-create"), data)
    product = Product.objects.get(name="Gula Semut")
    assert response["Location"] == reverse("catalog:product-manage", args=[product.pk])
    manage = reverse("catalog:product-manage", args=[product.pk])
    client.post(manage, {"action": "submit"})
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT  # refused: no permit yet
    scan = SimpleUploadedFile("pirt.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    client.post(
        manage,
        {
            "action": "permit",
            "permit-type": "pirt",
            "permit-number": "2063503011111-29",
            "permit-expires_on": "2030-01-01",
            "permit-scan": scan,
        },
    )
    client.post(manage, {"action": "submit"})
    assert Product.objects.get(pk=product.pk).status == ProductStatus.SUBMITTED


def test_photo_upload_screen_refuses_a_fake_image(client, shop, settings):
    client.force_login(shop.vendor.owner)
    fake = SimpleUploadedFile("foto.jpg", b"not really a jpeg", content_type="image/jpeg")
    response = client.post(reverse("catalog:product-manage", args=[shop.pk]), {"action": "photo", "photo-image": fake})
    assert response.status_code == 200
    assert "bukan foto" in response.content.decode()
    assert not ProductImage.objects.exists()


def test_other_owner_cannot_post_to_someone_elses_product(client, shop, other_owner):
    client.force_login(other_owner)
    response = client.post(reverse("catalog:product-manage", args=[shop.pk]), {"action": "submit"})
    assert response.status_code == 404
    assert Product.objects.get(pk=shop.pk).status == ProductStatus.APPROVED


def test_permit_scan_is_private_and_every_access_is_logged(client, vendor, make_product, other_owner):
    from catalog.services.products import permit_save

    product = make_product(vendor, name="Dengan Pindaian", approve=False)
    permit = permit_save(
        product=product,
        type="halal",
        number="ID123",
        expires_on=None,
        scan=SimpleUploadedFile("halal.pdf", b"%PDF scan"),
        user=vendor.owner,
    )
    url = reverse("catalog:permit-scan", args=[permit.pk])
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
    client.force_login(vendor.owner)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF scan"
    assert list(PersonalDataAccess.objects.order_by("pk").values_list("action", flat=True)) == ["denied", "download"]


def test_owner_records_a_delivery_and_the_manager_receives_a_difference(client, shop, outlet, manager):
    client.force_login(shop.vendor.owner)
    variant = shop.variants.first()
    data = {"umkm": shop.vendor_id, "outlet": outlet.pk, "note": ""}
    for v in shop.variants.all():
        data[f"line-{v.pk}-variant"] = v.pk
        data[f"line-{v.pk}-quantity"] = "6" if v == variant else ""
    assert client.post(reverse("catalog:delivery-create"), data).status_code == 302
    delivery = StockDelivery.objects.get(status="sent")
    line = delivery.lines.get()
    client.force_login(manager)
    url = reverse("catalog:delivery-receive", args=[delivery.pk])
    response = client.post(url, {f"line-{line.pk}": "5", "note": ""})
    assert "selisih" in response.content.decode()  # a difference needs an explanation
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 4
    client.post(url, {f"line-{line.pk}": "5", "note": "1 bungkus rusak di jalan"})
    line.refresh_from_db()
    assert (line.quantity_received, line.difference) == (5, -1)
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 9


# --- curator and café --------------------------------------------------------------------------


def test_curator_reviews_with_the_checklist(client, curator, vendor, make_product):
    from catalog.services.products import product_submit_for_review

    product = make_product(vendor, name="Kopi Wilis", approve=False)
    product_submit_for_review(product=product, user=vendor.owner)
    client.force_login(curator)
    data = {f"check_{i}": "yes" for i in ("nib", "food_permit", "label", "packaging", "price")}
    data.update(
        {"check_halal": "no", "note_halal": "Sertifikat halal tidak dilampirkan", "decision": "reject", "reason": ""}
    )
    assert client.post(reverse("catalog:product-review", args=[product.pk]), data).status_code == 302
    product.refresh_from_db()
    assert product.status == ProductStatus.REJECTED
    client.force_login(vendor.owner)
    assert (
        "Sertifikat halal tidak dilampirkan"
        in client.get(reverse("catalog:product-manage", args=[product.pk])).content.decode()
    )


def test_manager_adjusts_and_transfers_by_code(client, shop, manager, outlet, other_outlet, make_user):
    client.force_login(manager)
    variant = shop.variants.first()
    url = reverse("catalog:outlet-stock")
    client.post(
        url,
        {
            "action": "adjust",
            "kafe": outlet.pk,
            "adj-code": variant.internal_code,
            "adj-reason": "count",
            "adj-counted": "3",
        },
    )
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 3
    client.post(
        url,
        {
            "action": "transfer",
            "kafe": outlet.pk,
            "trf-code": variant.sku,
            "trf-quantity": "2",
            "trf-destination": other_outlet.pk,
        },
    )
    # On the way: gone from here, shown as sent; nothing at the other café until it receives them.
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 1
    assert not Stock.objects.filter(outlet=other_outlet, variant=variant).exists()
    transfer = StockTransfer.objects.get()
    assert transfer.number in client.get(url, {"kafe": outlet.pk}).content.decode()
    response = client.post(
        url,
        {
            "action": "transfer",
            "kafe": outlet.pk,
            "trf-code": variant.sku,
            "trf-quantity": "9",
            "trf-destination": other_outlet.pk,
        },
    )
    assert "Stok tidak cukup" in response.content.decode()
    assert StockMovement.objects.filter(kind="transfer_out").count() == 1
    # The sender cannot receive it for the other café; its own manager can, once.
    client.post(url, {"action": "transfer_receive", "kafe": outlet.pk, "transfer": transfer.pk})
    transfer.refresh_from_db()
    assert transfer.status == "in_transit"
    receiver = make_user("manajer_durenan", "outlet_manager", [other_outlet])
    client.force_login(receiver)
    page = client.get(url, {"kafe": other_outlet.pk}).content.decode()
    assert transfer.number in page and "Diterima" in page
    client.post(url, {"action": "transfer_receive", "kafe": other_outlet.pk, "transfer": transfer.pk})
    client.post(url, {"action": "transfer_receive", "kafe": other_outlet.pk, "transfer": transfer.pk})
    transfer.refresh_from_db()
    assert transfer.status == "received" and Stock.objects.get(outlet=other_outlet, variant=variant).quantity == 2
    assert StockMovement.objects.filter(kind="transfer_in").count() == 1


def test_cashier_sees_stock_but_cannot_adjust(client, shop, cashier, outlet):
    client.force_login(cashier)
    variant = shop.variants.first()
    response = client.post(
        reverse("catalog:outlet-stock"),
        {"action": "adjust", "kafe": outlet.pk, "adj-code": variant.sku, "adj-reason": "count", "adj-counted": "0"},
    )
    assert response.status_code == 403
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 4


def test_shelf_labels_have_price_and_barcode(client, shop):
    from catalog.barcodes import ean13_complete

    variant = shop.variants.first()
    variant.barcode = ean13_complete("899100000123")
    variant.save()
    client.force_login(shop.vendor.owner)
    body = client.get(reverse("catalog:labels", args=[shop.pk]), {"salinan": "2"}).content.decode()
    assert body.count('class="shelf-label"') == 4
    assert "Rp15.000" in body and "<svg" in body


# --- imports -------------------------------------------------------------------------------------


def test_product_import_previews_then_imports_all_or_nothing(client, vendor, food_category):
    client.force_login(vendor.owner)
    url = reverse("catalog:product-import")
    bad = "product,category,variant,price,sku,barcode\nAlen,makanan-ringan,200 g,12000,,\nAlen,makanan-ringan,500 g,abc,,\n"
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", bad.encode()), "confirm": "1"})
    assert "Baris dengan kesalahan" in response.content.decode()
    assert not Product.objects.exists()
    good = bad.replace("abc", "27.000")
    client.post(url, {"file": SimpleUploadedFile("p.csv", good.encode()), "confirm": "0"})
    assert not Product.objects.exists()  # a dry run writes nothing
    assert client.post(url, {"file": SimpleUploadedFile("p.csv", good.encode()), "confirm": "1"}).status_code == 302
    assert sorted(Product.objects.get().variants.values_list("price", flat=True)) == [12000, 27000]


def test_stock_count_import_from_xlsx(client, shop, manager, outlet):
    import tablib

    variant = shop.variants.first()
    dataset = tablib.Dataset(headers=["code", "counted", "note"])
    dataset.append([variant.internal_code, 2, "opname Desember"])
    client.force_login(manager)
    response = client.post(
        reverse("catalog:stock-import") + f"?kafe={outlet.pk}",
        {"file": SimpleUploadedFile("opname.xlsx", dataset.export("xlsx")), "confirm": "1"},
    )
    assert response.status_code == 302
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 2
    dataset.append(["TIDAKADA", 1, ""])
    response = client.post(
        reverse("catalog:stock-import") + f"?kafe={outlet.pk}",
        {"file": SimpleUploadedFile("opname.xlsx", dataset.export("xlsx")), "confirm": "1"},
    )
    assert "TIDAKADA" in response.content.decode()
    assert StockMovement.objects.filter(kind="adjustment").count() == 1


def test_import_refuses_unknown_formats(client, vendor):
    client.force_login(vendor.owner)
    response = client.post(
        reverse("catalog:product-import"), {"file": SimpleUploadedFile("p.txt", b"x"), "confirm": "1"}
    )
    assert ".csv" in response.content.decode()


def test_date_inputs_show_a_stored_date_in_any_page_language():
    """A browser's date input drops "02/01/2027": an existing permit's date must come back as 2027-01-02."""
    import datetime

    from django.utils import translation

    from catalog.forms import DeliveryLineForm, PermitForm

    with translation.override("id"):
        permit = PermitForm(initial={"issued_on": datetime.date(2022, 1, 2), "expires_on": datetime.date(2027, 1, 2)})
        assert 'value="2027-01-02"' in str(permit["expires_on"]) and 'value="2022-01-02"' in str(permit["issued_on"])
        line = DeliveryLineForm(initial={"expires_on": datetime.date(2027, 6, 30)})
        assert 'value="2027-06-30"' in str(line["expires_on"])
