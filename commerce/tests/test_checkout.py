"""The cart and checkout: lines and limits, merge on login, pickup availability, delivery fees, price changes,
delisted products, reservation, and placing the order exactly once."""

import datetime

import pytest
from django.utils import timezone

from catalog.models import ProductStatus, Reservation, ReservationStatus
from catalog.selectors import stock_available
from commerce.exceptions import CheckoutChanged
from commerce.models import Checkout, CheckoutLine, CheckoutStatus, Order, OrderStatus
from commerce.selectors import checkout_pickup_options, checkout_lines_with_variants
from commerce.services.checkout import (
    DeliveryAddress,
    LineInput,
    checkout_complete,
    checkout_contact_update,
    checkout_create,
    checkout_delivery_method_update,
    checkout_line_delete,
    checkout_lines_add,
    checkout_lines_update,
    checkout_merge,
    checkout_refresh,
)
from core.exceptions import DomainError


@pytest.mark.django_db
def test_lines_add_up_and_respect_limits(two_products, settings):
    settings.CHECKOUT_MAX_LINE_QUANTITY = 5
    keripik, alen = two_products
    checkout = checkout_create(lines=[LineInput(keripik.pk, 2), LineInput(keripik.pk, 1)])
    checkout_lines_add(checkout=checkout, lines=[LineInput(alen.pk, 1)])
    assert sorted(checkout.lines.values_list("variant_id", "quantity")) == sorted([(keripik.pk, 3), (alen.pk, 1)])
    for bad in (0, -1, 6):
        with pytest.raises(DomainError) as exc:
            checkout_lines_add(checkout=checkout, lines=[LineInput(alen.pk, bad)])
        assert exc.value.code == "invalid_quantity"
    with pytest.raises(DomainError):  # 3 + 3 > 5
        checkout_lines_add(checkout=checkout, lines=[LineInput(keripik.pk, 3)])
    assert sorted(checkout.lines.values_list("variant_id", "quantity")) == sorted([(keripik.pk, 3), (alen.pk, 1)])
    checkout_lines_update(checkout=checkout, lines=[LineInput(keripik.pk, 5), LineInput(alen.pk, 0)])
    assert list(checkout.lines.values_list("variant_id", "quantity")) == [(keripik.pk, 5)]
    line = checkout.lines.get()
    checkout_line_delete(checkout=checkout, line_id=line.pk)
    assert not checkout.lines.exists()
    with pytest.raises(DomainError) as exc:
        checkout_line_delete(checkout=checkout, line_id=line.pk)
    assert exc.value.code == "not_found"


@pytest.mark.django_db
def test_too_many_different_products_refused(make_variant, settings):
    settings.CHECKOUT_MAX_LINES = 2
    a, b, c = make_variant("A"), make_variant("B"), make_variant("C")
    checkout = checkout_create(lines=[LineInput(a.pk, 1), LineInput(b.pk, 1)])
    with pytest.raises(DomainError) as exc:
        checkout_lines_add(checkout=checkout, lines=[LineInput(c.pk, 1)])
    assert exc.value.code == "too_many_lines"
    assert checkout.lines.count() == 2


@pytest.mark.django_db
def test_unsellable_products_cannot_be_added(make_variant):
    draft = make_variant("Draft")
    draft.product.status = ProductStatus.SUBMITTED
    draft.product.save()
    inactive = make_variant("Inactive")
    inactive.is_active = False
    inactive.save()
    for variant_id in (draft.pk, inactive.pk, 999999):
        with pytest.raises(DomainError) as exc:
            checkout_create(lines=[LineInput(variant_id, 1)])
        assert exc.value.code == "product_not_sellable"
    assert not Checkout.objects.exists()


@pytest.mark.django_db
def test_anonymous_cart_merges_into_the_users_cart_on_login(two_products, customer_user, settings):
    settings.CHECKOUT_MAX_LINE_QUANTITY = 4
    keripik, alen = two_products
    mine = checkout_create(lines=[LineInput(keripik.pk, 3)], user=customer_user)
    assert mine.user == customer_user and mine.visit is not None and mine.visit.channel == "online"
    anonymous = checkout_create(lines=[LineInput(keripik.pk, 3), LineInput(alen.pk, 1)], phone="081234567890")
    merged = checkout_merge(source=anonymous, user=customer_user)
    assert merged.pk == mine.pk
    assert sorted(merged.lines.values_list("variant_id", "quantity")) == sorted([(keripik.pk, 4), (alen.pk, 1)])
    assert merged.phone == "+6281234567890"
    assert not Checkout.objects.filter(pk=anonymous.pk).exists()
    # One open cart per user: creating again joins it.
    again = checkout_create(lines=[LineInput(alen.pk, 1)], user=customer_user)
    assert again.pk == mine.pk


@pytest.mark.django_db
def test_pickup_offers_only_cafes_with_everything_and_explains_the_rest(two_products, outlet, other_outlet, put_stock):
    keripik, alen = two_products
    put_stock(other_outlet, keripik, 1)
    checkout = checkout_create(lines=[LineInput(keripik.pk, 2), LineInput(alen.pk, 1)])
    options = {o.outlet.code: o for o in checkout_pickup_options(checkout_lines_with_variants(checkout))}
    assert options["GLR"].has_everything
    durenan = options["DRN"]
    assert not durenan.has_everything
    assert sorted((line.variant_id, available) for line, available in durenan.missing) == sorted([(keripik.pk, 1), (alen.pk, 0)])
    with pytest.raises(DomainError) as exc:
        checkout_delivery_method_update(checkout=checkout, pickup_outlet=other_outlet)
    assert exc.value.code == "insufficient_stock"
    checkout.refresh_from_db()
    assert checkout.delivery_method == "" and checkout.reservation is None
    assert stock_available(outlet=other_outlet, variant_ids=[keripik.pk]) == {keripik.pk: 1}


@pytest.mark.django_db
def test_choosing_pickup_holds_the_stock_and_changing_lines_releases_it(two_products, outlet, settings):
    keripik, alen = two_products
    checkout = checkout_create(lines=[LineInput(keripik.pk, 2)])
    checkout = checkout_delivery_method_update(checkout=checkout, pickup_outlet=outlet)
    reservation = checkout.reservation
    assert reservation.status == ReservationStatus.ACTIVE
    minutes = (reservation.expires_at - timezone.now()).total_seconds() / 60
    assert settings.CHECKOUT_RESERVATION_MINUTES - 1 < minutes <= settings.CHECKOUT_RESERVATION_MINUTES
    assert stock_available(outlet=outlet, variant_ids=[keripik.pk]) == {keripik.pk: 8}
    checkout_lines_add(checkout=checkout, lines=[LineInput(alen.pk, 1)])
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.RELEASED
    assert stock_available(outlet=outlet, variant_ids=[keripik.pk]) == {keripik.pk: 10}


@pytest.mark.django_db
def test_delivery_uses_the_kecamatan_fee_and_refuses_other_places(two_products, delivery_fees, outlet):
    keripik, _alen = two_products
    checkout = checkout_create(lines=[LineInput(keripik.pk, 1)])
    for kecamatan in ("Panggul", "Surabaya", ""):
        with pytest.raises(DomainError) as exc:
            checkout_delivery_method_update(checkout=checkout, delivery_address=DeliveryAddress(street="Jl. Mawar 3", kecamatan=kecamatan))
        assert exc.value.code == "no_delivery_to_kecamatan"
    with pytest.raises(DomainError) as exc:
        checkout_delivery_method_update(checkout=checkout, delivery_address=DeliveryAddress(street=" ", kecamatan="Durenan"))
    assert exc.value.code == "required"
    checkout = checkout_delivery_method_update(
        checkout=checkout, delivery_address=DeliveryAddress(street="Jl. Mawar 3", kecamatan="durenan", rt_rw="01/002", postcode="66381"))
    assert checkout.delivery_method == "delivery" and checkout.address_kecamatan == "Durenan"
    assert checkout.stock_outlet == outlet and checkout.reservation.status == ReservationStatus.ACTIVE


@pytest.mark.django_db
def test_price_change_is_announced_and_nothing_is_ordered(ready_checkout, two_products, midtrans_server):
    keripik, _alen = two_products
    keripik.price = 17000
    keripik.save()
    with pytest.raises(CheckoutChanged) as exc:
        checkout_complete(checkout=ready_checkout)
    assert "Rp15.000" in exc.value.message and "Rp17.000" in exc.value.message
    assert not Order.objects.exists() and midtrans_server.requests == []
    # Told once: the shopper now sees the new price and can order at it.
    result = checkout_complete(checkout=ready_checkout)
    assert result.order.subtotal == 2 * 17000 + 12000


@pytest.mark.django_db
def test_delisted_product_is_removed_with_a_message(ready_checkout, two_products):
    keripik, alen = two_products
    alen.product.status = ProductStatus.SUSPENDED
    alen.product.save()
    notices = checkout_refresh(checkout=ready_checkout)
    assert len(notices) == 1 and "Alen-alen" in notices[0]
    assert list(ready_checkout.lines.values_list("variant_id", flat=True)) == [keripik.pk]
    assert checkout_refresh(checkout=ready_checkout) == []


@pytest.mark.django_db
def test_complete_places_one_order_with_frozen_prices_and_starts_snap(ready_checkout, two_products, outlet, midtrans_server):
    keripik, alen = two_products
    result = checkout_complete(checkout=ready_checkout)
    order = result.order
    assert order.status == OrderStatus.UNPAID and order.total == 42000 and order.outlet == outlet
    assert [(l.product_name, l.quantity, l.unit_price, l.commission_rate_bp, l.line_total) for l in order.lines.all()] == [
        ("Keripik Tempe", 2, 15000, 1500, 30000), ("Alen-alen", 1, 12000, 1500, 12000)]
    assert order.customer.phone == "+6281234567890"
    assert result.payment.gross_amount == 42000 and result.payment.redirect_url
    snap = midtrans_server.requests_to("POST", "/snap/v1/transactions")
    assert len(snap) == 1 and snap[0].body["transaction_details"]["gross_amount"] == 42000
    assert sum(i["price"] * i["quantity"] for i in snap[0].body["item_details"]) == 42000
    # Stock stays held for the payment window, under the order's reservation.
    assert order.reservation.status == ReservationStatus.ACTIVE
    assert stock_available(outlet=outlet, variant_ids=[keripik.pk, alen.pk]) == {keripik.pk: 8, alen.pk: 9}
    ready_checkout.refresh_from_db()
    assert ready_checkout.status == CheckoutStatus.COMPLETED
    # Twice: the same order and the same payment, nothing new at Midtrans.
    again = checkout_complete(checkout=ready_checkout)
    assert again.order.pk == order.pk and again.payment.pk == result.payment.pk
    assert Order.objects.count() == 1 and len(midtrans_server.requests_to("POST", "/snap/v1/transactions")) == 1


@pytest.mark.django_db
def test_complete_query_count_is_bounded(ready_checkout, midtrans_server, django_assert_max_num_queries):
    with django_assert_max_num_queries(75):
        checkout_complete(checkout=ready_checkout)


@pytest.mark.django_db
def test_complete_needs_contact_and_delivery_method(two_products, midtrans_server):
    keripik, _ = two_products
    checkout = checkout_create(lines=[LineInput(keripik.pk, 1)])
    with pytest.raises(DomainError) as exc:
        checkout_complete(checkout=checkout)
    assert exc.value.code == "required" and exc.value.field == "name"
    checkout_contact_update(checkout=checkout, name="Budi", phone="081299998888")
    with pytest.raises(DomainError) as exc:
        checkout_complete(checkout=checkout)
    assert exc.value.code == "delivery_method_required"
    with pytest.raises(DomainError) as exc:
        checkout_contact_update(checkout=checkout, phone="12345")
    assert exc.value.code == "invalid_phone"
    assert not Order.objects.exists() and midtrans_server.requests == []


@pytest.mark.django_db
def test_gateway_down_keeps_the_order_and_a_retry_pays_it(ready_checkout, midtrans_server):
    midtrans_server.fail_next(status=503, times=1)
    with pytest.raises(DomainError) as exc:
        checkout_complete(checkout=ready_checkout)
    assert exc.value.code == "gateway_unavailable"
    order = Order.objects.get()
    assert order.status == OrderStatus.UNPAID
    result = checkout_complete(checkout=ready_checkout)
    assert result.order.pk == order.pk and result.payment.redirect_url


@pytest.mark.django_db
def test_lapsed_hold_is_taken_again_at_complete_or_refused(ready_checkout, two_products, outlet, put_stock, midtrans_server):
    from catalog.services.stock import reservations_expire

    keripik, _ = two_products
    Reservation.objects.filter(pk=ready_checkout.reservation_id).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    reservations_expire()
    put_stock(outlet, keripik, 1)  # meanwhile the café sold most of it
    with pytest.raises(DomainError) as exc:
        checkout_complete(checkout=ready_checkout)
    assert exc.value.code == "insufficient_stock"
    assert not Order.objects.exists()
