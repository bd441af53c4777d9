"""The "order" payment handler, driven by signed notifications through the payments app (the production path)."""

import datetime

import pytest
from django.utils import timezone

from catalog.models import MovementKind, Reservation, ReservationStatus, StockMovement
from catalog.selectors import stock_available
from catalog.services.stock import reservations_expire
from commerce.models import OrderEvent, OrderStatus
from commerce.services.order_expiry import orders_expire_overdue
from commerce.services.orders import order_cancel, order_hand_over, order_mark_ready, order_refund
from core.exceptions import DomainError
from core.messaging import ConsoleProvider

from .conftest import notify


def _on_hand(outlet, variant):
    from catalog.models import Stock

    return Stock.objects.get(outlet=outlet, variant=variant).quantity


@pytest.mark.django_db
def test_paid_notification_pays_the_order_takes_the_stock_and_counts_the_visit(
    placed_order, two_products, outlet, midtrans_server, customer_user
):
    keripik, alen = two_products
    notify(midtrans_server, placed_order, "settlement")
    order = placed_order
    assert order.status == OrderStatus.PAID and order.paid_at and order.stock_committed and not order.flagged
    assert order.reservation.status == ReservationStatus.CONSUMED
    sales = StockMovement.objects.filter(kind=MovementKind.SALE, reference=order.number).order_by("variant_id")
    assert [(m.variant_id, m.quantity, m.unit_price, m.commission_rate_bp) for m in sales] == sorted(
        [(keripik.pk, -2, 15000, 1500), (alen.pk, -1, 12000, 1500)]
    )
    assert (_on_hand(outlet, keripik), _on_hand(outlet, alen)) == (8, 9)
    # The same notification ten times changes nothing more.
    for _ in range(10):
        notify(midtrans_server, order, "settlement")
    assert StockMovement.objects.filter(kind=MovementKind.SALE, reference=order.number).count() == 2
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID).count() == 1


@pytest.mark.django_db
def test_paid_order_of_a_logged_in_shopper_marks_the_visit_purchase(
    two_products, outlet, customer_user, midtrans_server
):
    from commerce.services.checkout import (
        LineInput,
        checkout_complete,
        checkout_contact_update,
        checkout_create,
        checkout_delivery_method_update,
    )

    keripik, _ = two_products
    checkout = checkout_create(lines=[LineInput(keripik.pk, 1)], user=customer_user)
    checkout_contact_update(checkout=checkout, name="Pembeli", phone="081234500001")
    checkout_delivery_method_update(checkout=checkout, pickup_outlet=outlet)
    order = checkout_complete(checkout=checkout, user=customer_user).order
    assert order.user == customer_user and order.visit is not None
    assert order.visit.first_purchase_at is None
    notify(midtrans_server, order, "settlement")
    order.visit.refresh_from_db()
    assert order.visit.first_purchase_at is not None


@pytest.mark.django_db
def test_expired_payment_expires_the_order_and_frees_the_stock(placed_order, two_products, outlet, midtrans_server):
    keripik, alen = two_products
    notify(midtrans_server, placed_order, "expire")
    assert placed_order.status == OrderStatus.EXPIRED
    assert placed_order.reservation.status == ReservationStatus.RELEASED
    assert stock_available(outlet=outlet, variant_ids=[keripik.pk, alen.pk]) == {keripik.pk: 10, alen.pk: 10}


@pytest.mark.django_db
def test_denied_payment_cancels_the_order(placed_order, midtrans_server):
    notify(midtrans_server, placed_order, "deny")
    assert placed_order.status == OrderStatus.CANCELLED
    assert placed_order.reservation.status == ReservationStatus.RELEASED


@pytest.mark.django_db
def test_expired_then_paid_is_flagged_and_not_fulfilled_without_stock(
    placed_order, two_products, outlet, put_stock, midtrans_server
):
    keripik, _ = two_products
    # The hold lapses, the order expires, and the café sells the last keripik meanwhile.
    Reservation.objects.filter(pk=placed_order.reservation_id).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    reservations_expire()
    notify(midtrans_server, placed_order, "expire")
    assert placed_order.status == OrderStatus.EXPIRED
    put_stock(outlet, keripik, 1)
    # Then the money arrives anyway.
    notify(midtrans_server, placed_order, "settlement")
    order = placed_order
    assert order.status == OrderStatus.PAID and order.flagged
    assert "Stok" in order.flag_reason or "Stock" in order.flag_reason
    assert not order.stock_committed
    assert not StockMovement.objects.filter(kind=MovementKind.SALE, reference=order.number).exists()
    with pytest.raises(DomainError) as exc:  # staff cannot hand it over as if nothing happened
        order_mark_ready(order=order, user=_staff(order))
    assert exc.value.code == "stock_not_taken"


@pytest.mark.django_db
def test_expired_then_paid_with_stock_left_is_flagged_but_takes_the_stock(placed_order, midtrans_server):
    notify(midtrans_server, placed_order, "expire")
    notify(midtrans_server, placed_order, "settlement")
    assert placed_order.status == OrderStatus.PAID and placed_order.flagged and placed_order.stock_committed


@pytest.mark.django_db
def test_backwards_move_after_paid_flags_the_order(placed_order, midtrans_server):
    notify(midtrans_server, placed_order, "settlement")
    notify(midtrans_server, placed_order, "deny")
    assert placed_order.status == OrderStatus.PAID and placed_order.flagged


def _staff(order):
    from accounts.models import User

    return User.objects.get(username="manajer")


@pytest.mark.django_db
def test_full_refund_before_pickup_returns_the_stock(placed_order, two_products, outlet, manager, midtrans_server):
    keripik, alen = two_products
    notify(midtrans_server, placed_order, "settlement")
    order = order_refund(order=placed_order, amount=42000, user=manager, reason="Stok rusak")
    assert order.status == OrderStatus.REFUNDED and order.refunded_amount == 42000
    assert (_on_hand(outlet, keripik), _on_hand(outlet, alen)) == (10, 10)
    assert OrderEvent.objects.filter(order=order, type="refund_requested", user=manager, amount=42000).exists()
    assert len(midtrans_server.requests_to("POST", "/refund")) == 1


@pytest.mark.django_db
def test_partial_refund_then_hand_over(placed_order, manager, cashier, outlet, midtrans_server):
    notify(midtrans_server, placed_order, "settlement")
    order = order_refund(order=placed_order, amount=12000, user=manager, reason="Alen-alen habis")
    assert order.status == OrderStatus.PARTIALLY_REFUNDED and order.refunded_amount == 12000
    order_mark_ready(order=order, user=cashier)
    done = order_hand_over(pickup_code=order.pickup_code, user=cashier, outlets=[outlet])
    assert done.status == OrderStatus.COMPLETED


@pytest.mark.django_db
def test_refund_refusals_change_nothing(placed_order, manager, midtrans_server):
    with pytest.raises(DomainError):  # unpaid
        order_refund(order=placed_order, amount=1000, user=manager)
    notify(midtrans_server, placed_order, "settlement")
    for amount in (0, -5, 42001):
        with pytest.raises(DomainError) as exc:
            order_refund(order=placed_order, amount=amount, user=manager)
        assert exc.value.code == "invalid_amount"
    midtrans_server.fail_next(status=503, times=5)
    with pytest.raises(DomainError):
        order_refund(order=placed_order, amount=1000, user=manager)
    placed_order.refresh_from_db()
    assert placed_order.status == OrderStatus.PAID and placed_order.refunded_amount == 0
    assert not OrderEvent.objects.filter(order=placed_order, type="refund_requested").exists()


@pytest.mark.django_db
def test_shopper_cancels_unpaid_order_and_the_stock_is_freed(placed_order, two_products, outlet, midtrans_server):
    keripik, _ = two_products
    order = order_cancel(order=placed_order, user=None)
    assert order.status == OrderStatus.CANCELLED
    assert stock_available(outlet=outlet, variant_ids=[keripik.pk]) == {keripik.pk: 10}
    notify(midtrans_server, placed_order, "settlement")
    with pytest.raises(DomainError):
        order_cancel(order=placed_order, user=None)


@pytest.mark.django_db
def test_overdue_unpaid_orders_expire(placed_order, midtrans_server, settings):
    assert orders_expire_overdue() == 0
    later = placed_order.expires_at + datetime.timedelta(minutes=settings.ORDER_UNPAID_GRACE_MINUTES + 1)
    assert orders_expire_overdue(now=later) == 1
    placed_order.refresh_from_db()
    assert placed_order.status == OrderStatus.EXPIRED
    assert placed_order.reservation.status in (ReservationStatus.RELEASED, ReservationStatus.EXPIRED)


@pytest.mark.django_db(transaction=True)
def test_shopper_is_messaged_when_paid(placed_order, midtrans_server):
    ConsoleProvider.sent.clear()
    notify(midtrans_server, placed_order, "settlement")
    assert any(placed_order.number in m.subject and m.phone == "+6281234567890" for m in ConsoleProvider.sent)


@pytest.mark.django_db
def test_partial_refund_with_goods_back_on_the_shelf(placed_order, two_products, outlet, manager, midtrans_server):
    from commerce.services.orders import order_restock

    keripik, alen = two_products
    notify(midtrans_server, placed_order, "settlement")
    assert (_on_hand(outlet, keripik), _on_hand(outlet, alen)) == (8, 9)
    lines = {line.variant_id: line for line in placed_order.lines.all()}
    # The shopper did not take one keripik: it goes back to stock, and its price back to the shopper.
    order = order_restock(order=placed_order, lines=[(lines[keripik.pk].pk, 1)], user=manager, reason="tidak jadi")
    order = order_refund(order=order, amount=15000, user=manager, reason="1 keripik tidak jadi")
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert (_on_hand(outlet, keripik), _on_hand(outlet, alen)) == (9, 9)
    back = StockMovement.objects.get(kind=MovementKind.SALE_RETURN, reference=f"{order.number}-K1")
    assert (back.variant_id, back.quantity, back.unit_price, back.commission_rate_bp) == (keripik.pk, 1, 15000, 1500)
    assert OrderEvent.objects.filter(order=order, type="restocked", user=manager).count() == 1
    # More than is left on the line is refused and changes nothing.
    for quantity in (2, -1, "dua"):
        with pytest.raises(DomainError) as exc:
            order_restock(order=order, lines=[(lines[keripik.pk].pk, quantity)], user=manager)
        assert exc.value.code == "invalid_quantity"
    assert _on_hand(outlet, keripik) == 9
    # The rest refunded in full: only what was not returned yet goes back (no unit counted twice).
    order = order_refund(order=order, amount=27000, user=manager)
    assert order.status == OrderStatus.REFUNDED
    assert (_on_hand(outlet, keripik), _on_hand(outlet, alen)) == (10, 10)
    with pytest.raises(DomainError) as exc:
        order_restock(order=order, lines=[(lines[alen.pk].pk, 1)], user=manager)
    assert exc.value.code == "stock_not_taken"


@pytest.mark.django_db
def test_restock_refusals(placed_order, two_products, outlet, other_outlet, manager, make_user, midtrans_server):
    from commerce.services.orders import order_restock

    line = placed_order.lines.first()
    with pytest.raises(DomainError) as exc:  # unpaid: nothing left the shelf
        order_restock(order=placed_order, lines=[(line.pk, 1)], user=manager)
    assert exc.value.code == "stock_not_taken"
    notify(midtrans_server, placed_order, "settlement")
    elsewhere = make_user("manajer_durenan", "outlet_manager", [other_outlet])
    with pytest.raises(DomainError) as exc:
        order_restock(order=placed_order, lines=[(line.pk, 1)], user=elsewhere)
    assert exc.value.code == "not_found"
    for bad in ([], [(line.pk, 0)], [(999999, 1)]):
        with pytest.raises(DomainError):
            order_restock(order=placed_order, lines=bad, user=manager)
    assert not StockMovement.objects.filter(kind=MovementKind.SALE_RETURN).exists()
