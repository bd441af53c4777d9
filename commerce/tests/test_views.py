"""Storefront pages and the café staff's order screens, with their permission matrices."""

import pytest
from django.urls import reverse

from commerce.cart_session import SESSION_KEY
from commerce.models import Checkout, Order, OrderStatus

from .conftest import notify


@pytest.mark.django_db
def test_add_to_cart_from_product_page_then_cart_page(client, two_products):
    keripik, _ = two_products
    response = client.post(
        "/keranjang/tambah/", {"variant_id": keripik.pk, "quantity": "2", "next": "/produk/keripik/"}
    )
    assert response.status_code == 302 and response["Location"] == "/produk/keripik/"
    checkout = Checkout.objects.get(token=client.session[SESSION_KEY])
    assert list(checkout.lines.values_list("variant_id", "quantity")) == [(keripik.pk, 2)]
    page = client.get(reverse("commerce:cart"))
    body = page.content.decode()
    assert "Keripik Tempe" in body and "Rp30.000" in body and 'lang="id"' in body


@pytest.mark.django_db
def test_add_to_cart_refusals_explain_and_change_nothing(client, two_products):
    keripik, _ = two_products
    response = client.post("/keranjang/tambah/", {"variant_id": keripik.pk, "quantity": "0"}, follow=True)
    assert "1 sampai 20" in response.content.decode()
    client.post("/keranjang/tambah/", {"variant_id": "abc", "quantity": "1"})
    # Open redirects are refused.
    response = client.post(
        "/keranjang/tambah/", {"variant_id": keripik.pk, "quantity": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("commerce:cart")
    assert client.get("/keranjang/tambah/").status_code == 405
    assert list(Checkout.objects.get().lines.values_list("quantity", flat=True)) == [1]


@pytest.mark.django_db
def test_anonymous_cart_is_merged_at_login(client, two_products, customer_user):
    keripik, _ = two_products
    client.post("/keranjang/tambah/", {"variant_id": keripik.pk, "quantity": "2"})
    client.post(reverse("accounts:login"), {"username": "pembeli", "password": "gemilang123"})
    client.get(reverse("commerce:cart"))
    checkout = Checkout.objects.get(user=customer_user)
    assert list(checkout.lines.values_list("variant_id", "quantity")) == [(keripik.pk, 2)]
    assert Checkout.objects.count() == 1


@pytest.mark.django_db
def test_checkout_pickup_then_pay_redirects_to_snap(client, two_products, outlet, other_outlet, midtrans_server):
    keripik, alen = two_products
    client.post("/keranjang/tambah/", {"variant_id": keripik.pk, "quantity": "2"})
    page = client.get(reverse("commerce:checkout")).content.decode()
    assert "Galeri Gemilang" in page and "Kafe Durenan" in page and "Keripik Tempe (sisa 0)" in page
    response = client.post(
        reverse("commerce:checkout"),
        {"name": "Siti", "phone": "0812-3456-7890", "delivery_method": "pickup", "pickup_outlet": outlet.pk},
    )
    assert response["Location"] == reverse("commerce:checkout-review")
    review = client.get(reverse("commerce:checkout-review")).content.decode()
    assert "Rp30.000" in review
    response = client.post(reverse("commerce:checkout-review"))
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(midtrans_server.url)
    # The order page opens in this browser (token kept in the session) and shows the status.
    page = client.get(reverse("commerce:order-detail", args=[order.number]))
    assert page.status_code == 200 and "Menunggu Pembayaran" in page.content.decode()


@pytest.mark.django_db
def test_checkout_errors_are_shown_and_nothing_is_held(client, two_products, other_outlet):
    keripik, _ = two_products
    client.post("/keranjang/tambah/", {"variant_id": keripik.pk, "quantity": "2"})
    response = client.post(
        reverse("commerce:checkout"),
        {"name": "Siti", "phone": "0812-3456-7890", "delivery_method": "pickup", "pickup_outlet": other_outlet.pk},
        follow=True,
    )
    assert "Keripik Tempe" in response.content.decode()
    assert Checkout.objects.get().reservation is None
    response = client.post(
        reverse("commerce:checkout"), {"name": "Siti", "phone": "123", "delivery_method": "pickup"}, follow=True
    )
    assert "nomor" in response.content.decode().lower()


@pytest.mark.django_db
def test_order_page_access_matrix(client, placed_order, customer_user, cashier, make_user, other_outlet):
    url = reverse("commerce:order-detail", args=[placed_order.number])
    # Number alone: not found, for anonymous and for another shopper.
    assert client.get(url).status_code == 404
    client.force_login(customer_user)
    assert client.get(url).status_code == 404
    assert client.get(url + "?t=wrong").status_code == 404
    assert client.get(url + f"?t={placed_order.token}").status_code == 200
    # Staff of the order's café see it; staff of another café do not.
    client.force_login(cashier)
    assert client.get(url).status_code == 200
    other = make_user("kasir_drn", "cashier", [other_outlet])
    other.restricted_to_outlets = True
    other.save()
    client.force_login(other)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_paid_pickup_order_shows_the_qr_to_its_owner(client, placed_order, midtrans_server):
    notify(midtrans_server, placed_order, "settlement")
    url = reverse("commerce:order-detail", args=[placed_order.number]) + f"?t={placed_order.token}"
    body = client.get(url).content.decode()
    assert placed_order.pickup_code in body and "Dikemas" in body
    qr = client.get(reverse("commerce:order-pickup-qr", args=[placed_order.number]) + f"?t={placed_order.token}")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert client.get(reverse("commerce:order-pickup-qr", args=[placed_order.number])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,expected",
    [
        (None, 302),
        ("customer_user", 403),
        ("owner", 403),
        ("other_owner", 403),
        ("curator", 403),
        ("officer", 403),
        ("cashier", 200),
        ("manager", 200),
        ("admin_user", 200),
    ],
)
def test_staff_order_list_permission_matrix(client, request, placed_order, who, expected):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("commerce:staff-orders"))
    assert response.status_code == expected
    if expected == 200:
        assert placed_order.number in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,allowed",
    [
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
def test_staff_mark_ready_and_hand_over_matrix(client, request, placed_order, midtrans_server, who, allowed):
    notify(midtrans_server, placed_order, "settlement")
    client.force_login(request.getfixturevalue(who))
    client.post(reverse("commerce:staff-order-action", args=[placed_order.number]), {"action": "ready"})
    placed_order.refresh_from_db()
    assert placed_order.status == (OrderStatus.READY_FOR_PICKUP if allowed else OrderStatus.PAID)
    if allowed:
        response = client.post(
            reverse("commerce:staff-hand-over"), {"code": placed_order.pickup_qr_payload}, follow=True
        )
        placed_order.refresh_from_db()
        assert placed_order.status == OrderStatus.COMPLETED
        assert placed_order.number in response.content.decode()


@pytest.mark.django_db
def test_cashier_may_not_refund_but_manager_may(client, placed_order, cashier, manager, midtrans_server):
    notify(midtrans_server, placed_order, "settlement")
    url = reverse("commerce:staff-order-action", args=[placed_order.number])
    client.force_login(cashier)
    client.post(url, {"action": "refund", "amount": "42000"})
    placed_order.refresh_from_db()
    assert placed_order.status == OrderStatus.PAID
    client.force_login(manager)
    client.post(url, {"action": "refund", "amount": "abc"})
    placed_order.refresh_from_db()
    assert placed_order.status == OrderStatus.PAID
    client.post(url, {"action": "refund", "amount": "42000", "reason": "Stok rusak"})
    placed_order.refresh_from_db()
    assert placed_order.status == OrderStatus.REFUNDED


@pytest.mark.django_db
def test_staff_return_goods_to_stock_from_the_order_page(client, placed_order, cashier, manager, midtrans_server):
    from catalog.models import MovementKind, StockMovement

    notify(midtrans_server, placed_order, "settlement")
    line = placed_order.lines.first()
    detail = reverse("commerce:staff-order-detail", args=[placed_order.number])
    url = reverse("commerce:staff-order-action", args=[placed_order.number])
    client.force_login(cashier)
    assert "Kembalikan ke stok" not in client.get(detail).content.decode()
    client.post(url, {"action": "restock", f"restock-{line.pk}": "1"})
    assert not StockMovement.objects.filter(kind=MovementKind.SALE_RETURN).exists()
    client.force_login(manager)
    assert "Kembalikan ke stok" in client.get(detail).content.decode()
    response = client.post(url, {"action": "restock", f"restock-{line.pk}": "9"}, follow=True)
    assert (
        "paling banyak" in response.content.decode() and not StockMovement.objects.filter(kind="sale_return").exists()
    )
    client.post(url, {"action": "restock", f"restock-{line.pk}": "1", "reason": "tidak jadi"})
    line.refresh_from_db()
    assert line.restocked_quantity == 1
    assert StockMovement.objects.get(kind=MovementKind.SALE_RETURN).quantity == 1
    assert "1 dikembalikan ke stok" in client.get(detail).content.decode()


@pytest.mark.django_db
def test_pick_list_is_printable_and_staff_only(
    client, placed_order, cashier, customer_user, django_assert_max_num_queries
):
    url = reverse("commerce:staff-pick-list", args=[placed_order.number])
    client.force_login(customer_user)
    assert client.get(url).status_code == 403
    client.force_login(cashier)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    body = response.content.decode()
    assert "Keripik Tempe" in body and "window.print()" in body and "Siti Aminah" in body


@pytest.mark.django_db
def test_staff_order_list_query_count_does_not_grow(client, placed_order, manager, django_assert_max_num_queries):
    client.force_login(manager)
    with django_assert_max_num_queries(15):
        client.get(reverse("commerce:staff-orders"))


@pytest.mark.django_db
def test_my_orders_lists_only_mine(client, customer_user, placed_order):
    client.force_login(customer_user)
    assert placed_order.number not in client.get(reverse("commerce:my-orders")).content.decode()
    Order.objects.filter(pk=placed_order.pk).update(user=customer_user)
    assert placed_order.number in client.get(reverse("commerce:my-orders")).content.decode()
