"""Every catalogue mutation: the permission matrix (anonymous, customer, each role, the other UMKM owner) and its work."""

from __future__ import annotations

import base64
import datetime
import io

import pytest
from django.db import transaction
from django.utils import timezone
from graphql_relay import to_global_id
from PIL import Image

from catalog.models import (
    Permit,
    Product,
    ProductAuditEntry,
    ProductImage,
    ProductReview,
    ProductStatus,
    ProductVariant,
    Stock,
    StockDelivery,
    StockMovement,
    StockTransfer,
    Vendor,
)

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "customer_user", "cashier", "officer", "manager", "curator", "owner", "other_owner", "admin_user"]


def snapshot():
    return (
        list(Vendor.objects.order_by("pk").values_list("pk", "name", "story", "commission_rate_bp")),
        list(Product.objects.order_by("pk").values_list("pk", "name", "status", "description")),
        list(ProductVariant.objects.order_by("pk").values_list("pk", "price", "name")),
        list(Stock.objects.order_by("pk").values_list("pk", "quantity")),
        Permit.objects.count(),
        StockMovement.objects.count(),
        StockDelivery.objects.count(),
        ProductImage.objects.count(),
        ProductReview.objects.count(),
        ProductAuditEntry.objects.count(),
        list(StockTransfer.objects.order_by("pk").values_list("pk", "status")),
    )


def gid(obj):
    name = {"ProductVariant": "ProductVariant", "Outlet": "Outlet"}.get(type(obj).__name__, type(obj).__name__)
    return to_global_id(name, obj.pk)


def jpeg_b64():
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 150, 90)).save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def world(request, outlet, other_outlet, vendor, other_vendor, make_product, stock_in, food_category, curator, roles):
    """The owner's approved product with stock, a draft, a submitted product, and an open delivery."""
    from catalog.services.deliveries import DeliveryLineInput, stock_delivery_create
    from catalog.services.products import product_submit_for_review

    approved = make_product(vendor, name="Keripik Tempe")
    variant = approved.variants.get()
    stock_in(outlet, variant, 10)
    draft = make_product(vendor, name="Alen-Alen", approve=False)
    submitted = make_product(vendor, name="Gula Aren", approve=False)
    product_submit_for_review(product=submitted, user=vendor.owner)
    delivery = stock_delivery_create(
        vendor=vendor, outlet=outlet, lines=[DeliveryLineInput(variant.pk, 5)], user=vendor.owner
    )
    from catalog.services.stock import StockLine
    from catalog.services.transfers import stock_transfer_send

    stock_in(other_outlet, variant, 4)
    incoming = stock_transfer_send(source=other_outlet, destination=outlet, lines=[StockLine(variant.pk, 2)])
    outgoing = stock_transfer_send(source=outlet, destination=other_outlet, lines=[StockLine(variant.pk, 1)])
    users = {"anonymous": None}
    for name in USERS[1:]:
        users[name] = request.getfixturevalue(name)
    return {
        "approved": approved,
        "variant": variant,
        "draft": draft,
        "submitted": submitted,
        "delivery": delivery,
        "incoming": incoming,
        "outgoing": outgoing,
        "outlet": outlet,
        "other_outlet": other_outlet,
        "category": food_category,
        "vendor": vendor,
        "users": users,
    }


CHECKLIST = [{"item": i, "passed": True} for i in ("nib", "food_permit", "label", "packaging", "price")] + [
    {"item": "halal", "passed": None, "note": "tidak relevan"}
]

MUTATIONS = {
    "vendorCreate": (
        "mutation($input: VendorInput!) { vendorCreate(input: $input) { vendor { name } errors { field code message } } }",
        lambda w: {"input": {"name": "Madu Baru", "nib": "9120001999999", "kecamatan": "Pule"}},
        {"owner", "other_owner", "admin_user"},
    ),
    "vendorUpdate": (
        "mutation($id: ID!, $input: VendorInput!) { vendorUpdate(id: $id, input: $input) { vendor { story } errors { field code message } } }",
        lambda w: {"id": gid(w["vendor"]), "input": {"story": "Cerita baru"}},
        {"owner", "admin_user"},
    ),
    "productCreate": (
        "mutation($input: ProductCreateInput!) { productCreate(input: $input) { product { name status variants { price { amount } } } errors { field code message } } }",
        lambda w: {
            "input": {
                "vendor": gid(w["vendor"]),
                "category": gid(w["category"]),
                "name": "Madu",
                "netWeight": "250 ml",
                "variants": [{"name": "250 ml", "price": 60000}],
                "permits": [
                    {
                        "type": "PIRT",
                        "number": "2063503019876-29",
                        "expiresOn": str(timezone.localdate() + datetime.timedelta(days=500)),
                    }
                ],
            }
        },
        {"owner", "admin_user"},
    ),
    "productUpdate": (
        "mutation($id: ID!, $input: ProductInput!) { productUpdate(id: $id, input: $input) { product { description status } errors { field code message } } }",
        lambda w: {"id": gid(w["approved"]), "input": {"description": "Lebih gurih"}},
        {"owner", "admin_user"},
    ),
    "productImageUpload": (
        'mutation($p: ID!, $d: String!) { productImageUpload(product: $p, filename: "foto.jpg", data: $d) { image { width } errors { field code message } } }',
        lambda w: {"p": gid(w["approved"]), "d": jpeg_b64()},
        {"owner", "admin_user"},
    ),
    "productSubmitForReview": (
        "mutation($id: ID!) { productSubmitForReview(id: $id) { product { status } errors { field code message } } }",
        lambda w: {"id": gid(w["draft"])},
        {"owner", "admin_user"},
    ),
    "productReview": (
        "mutation($id: ID!, $c: [ChecklistItemInput!]!) { productReview(id: $id, decision: APPROVE, checklist: $c) { product { status } errors { field code message } } }",
        lambda w: {"id": gid(w["submitted"]), "c": CHECKLIST},
        {"curator", "admin_user"},
    ),
    "productSuspend": (
        'mutation($id: ID!) { productSuspend(id: $id, reason: "Keluhan pembeli") { product { status } errors { field code message } } }',
        lambda w: {"id": gid(w["approved"])},
        {"curator", "admin_user"},
    ),
    "stockDeliveryCreate": (
        "mutation($v: ID!, $o: ID!, $l: [StockDeliveryLineInput!]!) { stockDeliveryCreate(vendor: $v, outlet: $o, lines: $l) { delivery { number status } errors { field code message } } }",
        lambda w: {"v": gid(w["vendor"]), "o": gid(w["outlet"]), "l": [{"variant": gid(w["variant"]), "quantity": 4}]},
        {"owner", "admin_user"},
    ),
    "stockDeliveryReceive": (
        "mutation($id: ID!) { stockDeliveryReceive(id: $id) { delivery { status lines { quantityReceived difference } } errors { field code message } } }",
        lambda w: {"id": gid(w["delivery"])},
        {"manager", "admin_user"},
    ),
    "stockAdjust": (
        "mutation($o: ID!, $v: ID!) { stockAdjust(outlet: $o, variant: $v, reason: DAMAGE, delta: -1) { stock { quantity } errors { field code message } } }",
        lambda w: {"o": gid(w["outlet"]), "v": gid(w["variant"])},
        {"manager", "admin_user"},
    ),
    "stockTransfer": (
        "mutation($s: ID!, $d: ID!, $l: [StockLineInput!]!) { stockTransfer(source: $s, destination: $d, lines: $l) { transfer { status } movements { kind quantity } errors { field code message } } }",
        lambda w: {
            "s": gid(w["outlet"]),
            "d": gid(w["other_outlet"]),
            "l": [{"variant": gid(w["variant"]), "quantity": 2}],
        },
        {"manager", "admin_user"},
    ),
    "stockTransferReceive": (
        "mutation($id: ID!) { stockTransferReceive(id: $id) { transfer { status } errors { field code message } } }",
        lambda w: {"id": gid(w["incoming"])},
        {"manager", "admin_user"},
    ),
    "stockTransferCancel": (
        "mutation($id: ID!) { stockTransferCancel(id: $id) { transfer { status } errors { field code message } } }",
        lambda w: {"id": gid(w["outgoing"])},
        {"manager", "admin_user"},
    ),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_permission_matrix(gql, world, name):
    query, variables, allowed = MUTATIONS[name]
    for who in USERS:
        with transaction.atomic():
            before = snapshot()
            result = gql(query, variables(world), user=world["users"][who])
            assert "errors" not in result, (who, result)
            payload = result["data"][name]
            if who in allowed:
                assert payload["errors"] == [], (who, payload)
                assert snapshot() != before, who
            else:
                assert payload["errors"], (who, payload)
                assert payload["errors"][0]["code"] in ("PERMISSION_DENIED", "NOT_FOUND"), (who, payload)
                assert snapshot() == before, who
            transaction.set_rollback(True)


def test_owner_b_cannot_touch_owner_a_product_by_global_id(gql, world, other_owner):
    query, _vars, _allowed = MUTATIONS["productUpdate"]
    result = gql(query, {"id": gid(world["approved"]), "input": {"description": "dibajak"}}, user=other_owner)
    assert result["data"]["productUpdate"]["errors"][0]["code"] == "NOT_FOUND"
    assert Product.objects.get(pk=world["approved"].pk).description != "dibajak"


def test_validation_errors_come_back_as_data(gql, world, owner):
    query, _v, _a = MUTATIONS["vendorCreate"]
    errors = gql(query, {"input": {"name": "X", "nib": "123", "kecamatan": "Pule"}}, user=owner)["data"][
        "vendorCreate"
    ]["errors"]
    assert errors[0]["field"] == "nib" and errors[0]["code"] == "INVALID_NIB"
    query, _v, _a = MUTATIONS["stockAdjust"]
    result = gql(
        query.replace("delta: -1", "delta: -50"),
        {"o": gid(world["outlet"]), "v": gid(world["variant"])},
        user=world["users"]["manager"],
    )
    error = result["data"]["stockAdjust"]["errors"][0]
    assert error["code"] == "INSUFFICIENT_STOCK" and "Keripik Tempe" in error["message"]


def test_price_change_through_the_api_sends_the_product_back_to_review(gql, world, owner):
    variant = world["variant"]
    query = "mutation($id: ID!, $input: ProductInput!) { productUpdate(id: $id, input: $input) { product { status } errors { code } } }"
    result = gql(
        query,
        {
            "id": gid(world["approved"]),
            "input": {
                "variants": [
                    {
                        "id": to_global_id("ProductVariant", variant.pk),
                        "name": variant.name,
                        "price": 18000,
                        "sku": variant.sku,
                    }
                ]
            },
        },
        user=owner,
    )
    assert result["data"]["productUpdate"] == {"product": {"status": "SUBMITTED"}, "errors": []}


def test_review_reject_needs_reasons_through_the_api(gql, world, curator):
    query = "mutation($id: ID!, $c: [ChecklistItemInput!]!) { productReview(id: $id, decision: REJECT, checklist: $c, reason: $r) { product { status } errors { code } } }"
    query = query.replace("$c: [ChecklistItemInput!]!)", "$c: [ChecklistItemInput!]!, $r: String)")
    checklist = [dict(c) for c in CHECKLIST]
    checklist[3] = {"item": "packaging", "passed": False, "note": "Kemasan tidak tersegel"}
    result = gql(query, {"id": gid(world["submitted"]), "c": checklist, "r": ""}, user=curator)
    assert result["data"]["productReview"]["product"]["status"] == "REJECTED"
    assert Product.objects.get(pk=world["submitted"].pk).status == ProductStatus.REJECTED


def test_receive_with_a_difference_records_it(gql, world, manager):
    line = world["delivery"].lines.get()
    query = """mutation($id: ID!, $l: [StockReceiveLineInput!]) { stockDeliveryReceive(id: $id, lines: $l, note: "1 bungkus sobek") {
      delivery { status lines { quantitySent quantityReceived difference } } errors { code } } }"""
    result = gql(
        query,
        {
            "id": gid(world["delivery"]),
            "l": [{"line": to_global_id("StockDeliveryLine", line.pk), "quantityReceived": 4}],
        },
        user=manager,
    )["data"]["stockDeliveryReceive"]
    assert result["errors"] == []
    assert result["delivery"]["lines"] == [{"quantitySent": 5, "quantityReceived": 4, "difference": -1}]
    # 10 counted in, 1 sent away (the world's outgoing transfer), 4 received now.
    assert Stock.objects.get(outlet=world["outlet"], variant=world["variant"]).quantity == 13


def test_image_upload_refuses_a_non_image(gql, world, owner):
    query = 'mutation($p: ID!, $d: String!) { productImageUpload(product: $p, filename: "foto.jpg", data: $d) { errors { field code } } }'
    result = gql(
        query, {"p": gid(world["approved"]), "d": base64.b64encode(b"not an image at all").decode()}, user=owner
    )
    assert result["data"]["productImageUpload"]["errors"] == [{"field": "image", "code": "INVALID_IMAGE"}]
    assert ProductImage.objects.count() == 0


def test_transfers_on_the_way_are_listed_for_the_cafes_staff(gql, world, manager, cashier, owner, make_user):
    query = """query($o: ID, $s: StockTransferStatusEnum) { stockTransfers(outlet: $o, status: $s) {
      number status source { code } destination { code } lines { quantity } } }"""
    rows = gql(query, {}, user=manager)["data"]["stockTransfers"]
    assert [(r["source"]["code"], r["destination"]["code"], r["lines"][0]["quantity"]) for r in rows] == [
        (world["other_outlet"].code, world["outlet"].code, 2),
        (world["outlet"].code, world["other_outlet"].code, 1),
    ]
    assert len(gql(query, {}, user=cashier)["data"]["stockTransfers"]) == 2  # cashiers see stock, incoming too
    assert gql(query, {}, user=owner)["errors"]  # UMKM owners are not café staff
    from accounts.services.outlets import outlet_upsert

    third = outlet_upsert(
        code="WTL", name="Kafe Watulimo", level="kecamatan", kecamatan="Watulimo", parent=world["outlet"]
    )
    stranger = make_user("manajer_watulimo", "outlet_manager", [third])
    assert gql(query, {}, user=stranger)["data"]["stockTransfers"] == []
    assert gql(query, {"s": "RECEIVED"}, user=manager)["data"]["stockTransfers"] == []


def test_expiring_batches_for_the_cafes_staff_only(gql, world, manager, owner, vendor):
    import datetime

    from django.utils import timezone

    from catalog.services.deliveries import DeliveryLineInput, stock_delivery_create, stock_delivery_receive

    soon = timezone.localdate() + datetime.timedelta(days=5)
    delivery = stock_delivery_create(
        vendor=vendor,
        outlet=world["outlet"],
        lines=[DeliveryLineInput(world["variant"].pk, 3, batch_code="K-05", expires_on=soon)],
        user=vendor.owner,
    )
    stock_delivery_receive(delivery=delivery, user=manager)
    query = """query($o: ID!) { stockExpiring(outlet: $o, days: 7) { batchCode expiresOn units daysLeft expired
      variant { sku } } }"""
    rows = gql(query, {"o": gid(world["outlet"])}, user=manager)["data"]["stockExpiring"]
    assert rows == [
        {
            "batchCode": "K-05",
            "expiresOn": soon.isoformat(),
            "units": 3,
            "daysLeft": 5,
            "expired": False,
            "variant": {"sku": world["variant"].sku},
        }
    ]
    assert gql(query, {"o": gid(world["outlet"])}, user=owner)["errors"]
    assert gql(query, {"o": gid(world["other_outlet"])}, user=manager)["errors"]  # not their café
