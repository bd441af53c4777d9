"""The storefront's GraphQL API: checkout mutations, checkoutComplete once, orders by owner/token/staff, staff mutations."""

import pytest
from graphql_relay import to_global_id

from commerce.models import Checkout, Order, OrderStatus

from .conftest import notify

CREATE = """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { id quantity subtotal { amount } lines { id variantId quantity productName } } errors { field code message } } }"""
LINES_ADD = """mutation($id: ID!, $lines: [CheckoutLineInput!]!) { checkoutLinesAdd(id: $id, lines: $lines) {
  checkout { quantity } errors { field code message } } }"""
LINES_UPDATE = """mutation($id: ID!, $lines: [CheckoutLineInput!]!) { checkoutLinesUpdate(id: $id, lines: $lines) {
  checkout { quantity lines { quantity } } errors { field code } } }"""
LINE_DELETE = """mutation($id: ID!, $lineId: ID!) { checkoutLineDelete(id: $id, lineId: $lineId) { checkout { quantity } errors { code } } }"""
DELIVERY = """mutation($id: ID!, $outlet: ID, $address: DeliveryAddressInput) {
  checkoutDeliveryMethodUpdate(id: $id, pickupOutlet: $outlet, deliveryAddress: $address) {
  checkout { deliveryMethod reservedUntil deliveryFee { amount } total { amount } pickupOutlet { code }
             pickupOptions { outlet { code } hasEverything missing { productName available } } }
  errors { field code message } } }"""
COMPLETE = """mutation($id: ID!) { checkoutComplete(id: $id) {
  order { id number status total { amount } } payment { redirectUrl token midtransOrderId } orderToken
  errors { field code message } } }"""
ORDER = """query($number: String!, $token: String) { order(number: $number, token: $token) {
  number status total { amount } pickupCode lines { productName quantity } events { toStatus } } }"""
ORDERS = """query($status: String) { orders(first: 20, status: $status) { totalCount edges { node { number status lines { quantity } } } } }"""
MARK_READY = """mutation($n: String!) { orderMarkReady(number: $n) { order { status } errors { code } } }"""
HAND_OVER = """mutation($c: String!) { orderHandOver(pickupCode: $c) { order { status } errors { code message } } }"""
CANCEL = (
    """mutation($n: String!, $t: String) { orderCancel(number: $n, token: $t) { order { status } errors { code } } }"""
)
REFUND = """mutation($n: String!, $a: Int!) { orderRefund(number: $n, amount: $a, reason: "Stok rusak") {
  order { status refundedAmount { amount } } errors { field code } } }"""


def vid(variant):
    return to_global_id("ProductVariant", variant.pk)


def _checkout_for_pickup(gql, two_products, outlet, user=None):
    keripik, alen = two_products
    data = gql(
        CREATE,
        {
            "input": {
                "lines": [{"variantId": vid(keripik), "quantity": 2}, {"variantId": vid(alen), "quantity": 1}],
                "name": "Siti",
                "phone": "081234567890",
            }
        },
        user=user,
    )["data"]["checkoutCreate"]
    assert data["errors"] == []
    checkout_id = data["checkout"]["id"]
    result = gql(DELIVERY, {"id": checkout_id, "outlet": to_global_id("Outlet", outlet.pk)}, user=user)
    assert result["data"]["checkoutDeliveryMethodUpdate"]["errors"] == []
    return checkout_id


@pytest.mark.django_db
def test_checkout_mutations_round_trip(gql, two_products, outlet, other_outlet, delivery_fees):
    keripik, alen = two_products
    data = gql(CREATE, {"input": {"lines": [{"variantId": vid(keripik), "quantity": 2}]}})["data"]["checkoutCreate"]
    checkout_id = data["checkout"]["id"]
    assert (
        data["checkout"]["subtotal"]["amount"] == 30000
        and data["checkout"]["lines"][0]["productName"] == "Keripik Tempe"
    )
    assert (
        gql(LINES_ADD, {"id": checkout_id, "lines": [{"variantId": vid(alen), "quantity": 1}]})["data"][
            "checkoutLinesAdd"
        ]["checkout"]["quantity"]
        == 3
    )
    updated = gql(LINES_UPDATE, {"id": checkout_id, "lines": [{"variantId": vid(keripik), "quantity": 1}]})["data"][
        "checkoutLinesUpdate"
    ]
    assert updated["checkout"]["quantity"] == 2
    bad = gql(LINES_ADD, {"id": checkout_id, "lines": [{"variantId": vid(alen), "quantity": 99}]})["data"][
        "checkoutLinesAdd"
    ]
    assert bad["errors"][0]["code"] == "INVALID_QUANTITY" and bad["checkout"] is None
    pickup = gql(DELIVERY, {"id": checkout_id, "outlet": to_global_id("Outlet", outlet.pk)})["data"][
        "checkoutDeliveryMethodUpdate"
    ]
    assert pickup["checkout"]["deliveryMethod"] == "pickup" and pickup["checkout"]["reservedUntil"]
    options = {o["outlet"]["code"]: o for o in pickup["checkout"]["pickupOptions"]}
    assert options["GLR"]["hasEverything"] and not options["DRN"]["hasEverything"]
    refused = gql(DELIVERY, {"id": checkout_id, "outlet": to_global_id("Outlet", other_outlet.pk)})["data"][
        "checkoutDeliveryMethodUpdate"
    ]
    assert refused["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    delivery = gql(DELIVERY, {"id": checkout_id, "address": {"street": "Jl. Mawar 3", "kecamatan": "Durenan"}})["data"][
        "checkoutDeliveryMethodUpdate"
    ]
    assert delivery["checkout"]["deliveryFee"]["amount"] == 15000 and delivery["checkout"]["total"]["amount"] == 42000
    line_id = Checkout.objects.get().lines.get(variant=alen).pk
    deleted = gql(LINE_DELETE, {"id": checkout_id, "lineId": to_global_id("CheckoutLine", line_id)})["data"][
        "checkoutLineDelete"
    ]
    assert deleted["checkout"]["quantity"] == 1


@pytest.mark.django_db
def test_checkout_complete_twice_returns_the_same_order(gql, two_products, outlet, midtrans_server):
    checkout_id = _checkout_for_pickup(gql, two_products, outlet)
    first = gql(COMPLETE, {"id": checkout_id})["data"]["checkoutComplete"]
    assert first["errors"] == []
    assert first["order"]["status"] == "unpaid" and first["order"]["total"]["amount"] == 42000
    assert first["payment"]["redirectUrl"] and first["payment"]["token"] and first["payment"]["midtransOrderId"]
    second = gql(COMPLETE, {"id": checkout_id})["data"]["checkoutComplete"]
    assert second["order"]["number"] == first["order"]["number"]
    assert second["payment"]["midtransOrderId"] == first["payment"]["midtransOrderId"]
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_someone_elses_cart_is_not_found(gql, two_products, outlet, customer_user, make_user):
    keripik, _ = two_products
    mine = gql(CREATE, {"input": {"lines": [{"variantId": vid(keripik), "quantity": 1}]}}, user=customer_user)
    checkout_id = mine["data"]["checkoutCreate"]["checkout"]["id"]
    intruder = make_user("pembeli2", "customer")
    for user in (None, intruder):
        result = gql(LINES_ADD, {"id": checkout_id, "lines": [{"variantId": vid(keripik), "quantity": 5}]}, user=user)
        assert result["data"]["checkoutLinesAdd"]["errors"][0]["code"] == "NOT_FOUND"
        assert (
            gql(COMPLETE, {"id": checkout_id}, user=user)["data"]["checkoutComplete"]["errors"][0]["code"]
            == "NOT_FOUND"
        )
    assert Checkout.objects.get().lines.get().quantity == 1
    forged = gql(
        LINES_ADD, {"id": to_global_id("Checkout", "not-a-uuid"), "lines": [{"variantId": vid(keripik), "quantity": 1}]}
    )
    assert forged["data"]["checkoutLinesAdd"]["errors"][0]["code"] == "NOT_FOUND"


@pytest.mark.django_db
def test_order_query_for_owner_token_or_staff_only(
    gql, two_products, outlet, customer_user, make_user, cashier, other_outlet, midtrans_server
):
    checkout_id = _checkout_for_pickup(gql, two_products, outlet, user=customer_user)
    done = gql(COMPLETE, {"id": checkout_id}, user=customer_user)["data"]["checkoutComplete"]
    number, token = done["order"]["number"], done["orderToken"]
    shopper_b = make_user("pembeli2", "customer")
    assert gql(ORDER, {"number": number})["data"]["order"] is None
    assert gql(ORDER, {"number": number}, user=shopper_b)["data"]["order"] is None
    assert gql(ORDER, {"number": number, "token": "guess"})["data"]["order"] is None
    assert gql(ORDER, {"number": number, "token": token})["data"]["order"]["number"] == number
    assert gql(ORDER, {"number": number}, user=customer_user)["data"]["order"]["lines"][0]["quantity"] == 2
    staff_view = gql(ORDER, {"number": number}, user=cashier)["data"]["order"]
    assert staff_view["number"] == number and staff_view["pickupCode"] is None
    other_cafe = make_user("kasir_drn", "cashier", [other_outlet])
    other_cafe.restricted_to_outlets = True
    other_cafe.save()
    assert gql(ORDER, {"number": number}, user=other_cafe)["data"]["order"] is None
    # The node interface does not open it either.
    node_id = done["order"]["id"]
    node = gql("query($id: ID!) { node(id: $id) { ... on Order { number } } }", {"id": node_id}, user=shopper_b)
    assert node["data"]["node"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,sees",
    [
        (None, False),
        ("customer_user", False),
        ("owner", False),
        ("other_owner", False),
        ("curator", False),
        ("officer", False),
        ("cashier", True),
        ("manager", True),
        ("admin_user", True),
    ],
)
def test_orders_list_permission_matrix(gql, request, placed_order, who, sees):
    user = request.getfixturevalue(who) if who else None
    result = gql(ORDERS, {}, user=user)
    if sees:
        assert [e["node"]["number"] for e in result["data"]["orders"]["edges"]] == [placed_order.number]
    else:
        assert result["data"]["orders"] is None and result["errors"]


@pytest.mark.django_db
def test_orders_list_query_count_is_constant(gql, placed_order, manager, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        result = gql(ORDERS, {"status": "unpaid"}, user=manager)
    assert result["data"]["orders"]["totalCount"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,allowed",
    [
        (None, False),
        ("customer_user", False),
        ("owner", False),
        ("other_owner", False),
        ("curator", False),
        ("officer", False),
        ("cashier", True),
        ("manager", True),
        ("admin_user", True),
    ],
)
def test_mark_ready_and_hand_over_matrix(gql, request, placed_order, midtrans_server, who, allowed):
    notify(midtrans_server, placed_order, "settlement")
    user = request.getfixturevalue(who) if who else None
    ready = gql(MARK_READY, {"n": placed_order.number}, user=user)["data"]["orderMarkReady"]
    placed_order.refresh_from_db()
    if not allowed:
        assert ready["errors"][0]["code"] == "PERMISSION_DENIED" and placed_order.status == OrderStatus.PAID
        handed = gql(HAND_OVER, {"c": placed_order.pickup_code}, user=user)["data"]["orderHandOver"]
        assert handed["errors"][0]["code"] == "PERMISSION_DENIED"
        return
    assert ready["order"]["status"] == "ready_for_pickup"
    handed = gql(HAND_OVER, {"c": placed_order.pickup_qr_payload}, user=user)["data"]["orderHandOver"]
    assert handed["order"]["status"] == "completed"
    again = gql(HAND_OVER, {"c": placed_order.pickup_code}, user=user)["data"]["orderHandOver"]
    assert again["errors"][0]["code"] == "INVALID_TRANSITION"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,allowed",
    [
        ("customer_user", False),
        ("owner", False),
        ("cashier", False),
        ("manager", True),
        ("admin_user", True),
    ],
)
def test_refund_matrix(gql, request, placed_order, midtrans_server, who, allowed):
    notify(midtrans_server, placed_order, "settlement")
    result = gql(REFUND, {"n": placed_order.number, "a": 12000}, user=request.getfixturevalue(who))["data"][
        "orderRefund"
    ]
    placed_order.refresh_from_db()
    if allowed:
        assert (
            result["order"]["status"] == "partially_refunded" and result["order"]["refundedAmount"]["amount"] == 12000
        )
    else:
        assert result["errors"][0]["code"] == "PERMISSION_DENIED"
        assert placed_order.status == OrderStatus.PAID and placed_order.refunded_amount == 0


@pytest.mark.django_db
def test_order_cancel_by_token_only(gql, placed_order, make_user):
    stranger = make_user("pembeli2", "customer")
    assert (
        gql(CANCEL, {"n": placed_order.number}, user=stranger)["data"]["orderCancel"]["errors"][0]["code"]
        == "NOT_FOUND"
    )
    assert (
        gql(CANCEL, {"n": placed_order.number, "t": "nope"})["data"]["orderCancel"]["errors"][0]["code"] == "NOT_FOUND"
    )
    placed_order.refresh_from_db()
    assert placed_order.status == OrderStatus.UNPAID
    result = gql(CANCEL, {"n": placed_order.number, "t": placed_order.token})["data"]["orderCancel"]
    assert result["order"]["status"] == "cancelled"


ORDER_LINES = """query($n: String!) { order(number: $n) { lines { id quantity restockedQuantity } } }"""
RESTOCK = """mutation($n: String!, $l: [OrderRestockLineInput!]!) { orderRestock(number: $n, lines: $l, reason: "retur") {
  order { lines { productName restockedQuantity } } errors { field code } } }"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,allowed",
    [
        ("anonymous", False),
        ("customer_user", False),
        ("owner", False),
        ("cashier", False),
        ("manager", True),
        ("admin_user", True),
    ],
)
def test_restock_matrix(gql, request, placed_order, midtrans_server, manager, who, allowed):
    from catalog.models import MovementKind, StockMovement

    notify(midtrans_server, placed_order, "settlement")
    order = gql(ORDER_LINES, {"n": placed_order.number}, user=manager)["data"]["order"]
    first = order["lines"][0]
    assert first["restockedQuantity"] == 0
    user = None if who == "anonymous" else request.getfixturevalue(who)
    result = gql(RESTOCK, {"n": placed_order.number, "l": [{"line": first["id"], "quantity": 1}]}, user=user)
    data = result["data"]["orderRestock"]
    returned = StockMovement.objects.filter(kind=MovementKind.SALE_RETURN).count()
    if allowed:
        assert data["errors"] == [] and data["order"]["lines"][0]["restockedQuantity"] == 1 and returned == 1
        again = gql(RESTOCK, {"n": placed_order.number, "l": [{"line": first["id"], "quantity": 5}]}, user=user)
        assert again["data"]["orderRestock"]["errors"][0]["code"] == "INVALID_QUANTITY"
    else:
        assert data["errors"][0]["code"] == "PERMISSION_DENIED" and returned == 0
