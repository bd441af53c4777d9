"""The stock contract: reservations, sales, returns and the café's own movements, through the ledger."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from catalog.exceptions import InsufficientStock, ProductNotSellable, ReservationNotActive
from catalog.models import MovementKind, ReservationStatus, Stock, StockMovement
from catalog.selectors import reservations_active_for_visit, stock_available, stock_oversold, variant_find_by_code
from catalog.services.stock import (
    StockLine,
    reservations_expire,
    stock_adjust,
    stock_commit_sale,
    stock_release,
    stock_reserve,
    stock_return_sale,
    stock_return_to_owner,
)
from core.exceptions import DomainError

pytestmark = pytest.mark.django_db


def in_minutes(n):
    return timezone.now() + datetime.timedelta(minutes=n)


def ledger_sum(outlet, variant):
    return sum(StockMovement.objects.filter(outlet=outlet, variant=variant).values_list("quantity", flat=True))


def test_reserve_holds_units_and_release_gives_them_back_once(outlet, variant, stock_in):
    # given 5 units at the café
    stock_in(outlet, variant, 5)
    # when 2 are reserved
    reservation = stock_reserve(
        outlet=outlet, lines=[StockLine(variant.pk, 2)], expires_at=in_minutes(30), reference="cart-1"
    )
    # then 3 are available, on hand unchanged
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 3}
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 5
    # when released twice
    stock_release(reservation=reservation)
    stock_release(reservation=reservation)
    # then all 5 are available again and the reservation is released
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 5}
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.RELEASED


def test_reserve_more_than_available_names_the_product_and_changes_nothing(outlet, variant, stock_in):
    stock_in(outlet, variant, 2)
    stock_reserve(outlet=outlet, lines=[StockLine(variant.pk, 1)], expires_at=in_minutes(30), reference="cart-1")
    with pytest.raises(InsufficientStock) as exc:
        stock_reserve(outlet=outlet, lines=[StockLine(variant.pk, 2)], expires_at=in_minutes(30), reference="cart-2")
    assert exc.value.code == "insufficient_stock"
    assert exc.value.field == "lines"
    assert "Keripik Tempe" in exc.value.message
    assert "1" in exc.value.message  # the available quantity
    assert exc.value.shortages[0].available == 1
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 1}


def test_reserve_at_a_cafe_without_stock_is_refused(other_outlet, variant):
    with pytest.raises(InsufficientStock):
        stock_reserve(outlet=other_outlet, lines=[StockLine(variant.pk, 1)], expires_at=in_minutes(5), reference="x")


@pytest.mark.parametrize("quantity", [0, -1])
def test_reserve_refuses_non_positive_quantities(outlet, variant, stock_in, quantity):
    stock_in(outlet, variant, 2)
    with pytest.raises(DomainError) as exc:
        stock_reserve(outlet=outlet, lines=[StockLine(variant.pk, quantity)], expires_at=in_minutes(5), reference="x")
    assert exc.value.code == "invalid_quantity"


def test_reserve_refuses_an_end_in_the_past(outlet, variant, stock_in):
    stock_in(outlet, variant, 2)
    with pytest.raises(DomainError):
        stock_reserve(outlet=outlet, lines=[StockLine(variant.pk, 1)], expires_at=in_minutes(-1), reference="x")


def test_expired_reservation_stops_holding_units_and_is_marked_expired(outlet, variant, stock_in):
    stock_in(outlet, variant, 3)
    reservation = stock_reserve(
        outlet=outlet, lines=[StockLine(variant.pk, 3)], expires_at=in_minutes(10), reference="k"
    )
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 0}
    # when the time is up (even before the beat task runs)
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert reservations_expire(now=timezone.now()) == 0
    from catalog.models import Reservation

    Reservation.objects.filter(pk=reservation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 3}
    assert reservations_expire(now=later) == 1
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.EXPIRED


def test_commit_sale_consumes_its_reservation_without_counting_it_twice(outlet, variant, stock_in, cashier):
    stock_in(outlet, variant, 5)
    reservation = stock_reserve(
        outlet=outlet, lines=[StockLine(variant.pk, 5)], expires_at=in_minutes(30), reference="o-1"
    )
    movements = stock_commit_sale(
        outlet=outlet, lines=[StockLine(variant.pk, 5)], reference="ORD-1", reservation=reservation, user=cashier
    )
    assert [m.quantity for m in movements] == [-5]
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CONSUMED
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 0
    assert ledger_sum(outlet, variant) == 0


def test_commit_sale_cannot_take_units_reserved_for_someone_else(outlet, variant, stock_in):
    stock_in(outlet, variant, 2)
    stock_reserve(outlet=outlet, lines=[StockLine(variant.pk, 2)], expires_at=in_minutes(30), reference="other")
    with pytest.raises(InsufficientStock):
        stock_commit_sale(outlet=outlet, lines=[StockLine(variant.pk, 1)], reference="POS-1")
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 2
    assert not StockMovement.objects.filter(kind=MovementKind.SALE).exists()


def test_commit_sale_with_released_reservation_is_refused(outlet, variant, stock_in):
    stock_in(outlet, variant, 2)
    reservation = stock_reserve(
        outlet=outlet, lines=[StockLine(variant.pk, 1)], expires_at=in_minutes(30), reference="r"
    )
    stock_release(reservation=reservation)
    with pytest.raises(ReservationNotActive):
        stock_commit_sale(outlet=outlet, lines=[StockLine(variant.pk, 1)], reference="S", reservation=reservation)


def test_commit_sale_freezes_price_and_commission_and_is_idempotent(outlet, variant, stock_in):
    stock_in(outlet, variant, 4)
    first = stock_commit_sale(
        outlet=outlet, lines=[StockLine(variant.pk, 1), StockLine(variant.pk, 1)], reference="POS-9"
    )
    # the vendor's commission and the price change later
    vendor = variant.product.vendor
    vendor.commission_rate_bp = 2000
    vendor.save()
    variant.price = 99000
    variant.save()
    again = stock_commit_sale(outlet=outlet, lines=[StockLine(variant.pk, 2)], reference="POS-9")
    assert [m.pk for m in again] == [m.pk for m in first]
    (movement,) = StockMovement.objects.filter(kind=MovementKind.SALE)
    assert (movement.quantity, movement.unit_price, movement.commission_rate_bp) == (-2, 15000, 1500)
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 2


def test_commit_sale_keeps_prices_given_on_the_line(outlet, variant, stock_in):
    stock_in(outlet, variant, 1)
    (movement,) = stock_commit_sale(
        outlet=outlet, lines=[StockLine(variant.pk, 1, unit_price=12000, commission_rate_bp=1000)], reference="POS-2"
    )
    assert (movement.unit_price, movement.commission_rate_bp) == (12000, 1000)


def test_allow_negative_records_an_offline_sale_and_flags_it(outlet, variant, stock_in):
    stock_in(outlet, variant, 1)
    (movement,) = stock_commit_sale(
        outlet=outlet, lines=[StockLine(variant.pk, 3)], reference="OFF-1", allow_negative=True
    )
    assert movement.oversold is True
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == -2
    assert list(stock_oversold()) == [movement]
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 0}


def test_suspended_product_is_not_sellable(outlet, variant, stock_in, curator):
    from catalog.services.products import product_suspend

    stock_in(outlet, variant, 3)
    product_suspend(product=variant.product, user=curator, reason="Label tidak sesuai")
    with pytest.raises(ProductNotSellable) as exc:
        stock_commit_sale(outlet=outlet, lines=[StockLine(variant.pk, 1)], reference="POS-3")
    assert exc.value.code == "product_not_sellable"
    with pytest.raises(ProductNotSellable):
        stock_reserve(outlet=outlet, lines=[StockLine(variant.pk, 1)], expires_at=in_minutes(5), reference="x")
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 3


def test_return_sale_puts_units_back_once(outlet, variant, stock_in):
    stock_in(outlet, variant, 2)
    stock_commit_sale(outlet=outlet, lines=[StockLine(variant.pk, 2)], reference="POS-4")
    stock_return_sale(
        outlet=outlet, lines=[StockLine(variant.pk, 1, unit_price=15000, commission_rate_bp=1500)], reference="RET-1"
    )
    stock_return_sale(outlet=outlet, lines=[StockLine(variant.pk, 1)], reference="RET-1")
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 1
    assert ledger_sum(outlet, variant) == 1


def test_adjust_by_count_and_by_damage(outlet, variant, stock_in, manager):
    stock_in(outlet, variant, 10)
    movement = stock_adjust(outlet=outlet, variant=variant, reason="count", counted=8, user=manager)
    assert movement.quantity == -2
    assert stock_adjust(outlet=outlet, variant=variant, reason="count", counted=8, user=manager) is None
    stock_adjust(outlet=outlet, variant=variant, reason="damage", delta=-1, user=manager)
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 7
    with pytest.raises(DomainError) as exc:
        stock_adjust(outlet=outlet, variant=variant, reason="other", delta=-1, user=manager)
    assert exc.value.code == "reason_required"
    with pytest.raises(InsufficientStock):
        stock_adjust(outlet=outlet, variant=variant, reason="damage", delta=-8, user=manager)
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 7


def test_transfer_is_on_the_way_until_received(outlet, other_outlet, variant, stock_in, manager, make_user):
    from catalog.models import StockMovement, TransferStatus
    from catalog.services.transfers import stock_transfer_cancel, stock_transfer_receive, stock_transfer_send

    stock_in(outlet, variant, 5)
    transfer = stock_transfer_send(
        source=outlet, destination=other_outlet, lines=[StockLine(variant.pk, 3)], user=manager, note="untuk bazar"
    )
    assert transfer.status == TransferStatus.IN_TRANSIT and transfer.number.startswith("MUT-")
    # Gone from the source, not yet at the destination: the goods are on the road.
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 2}
    assert stock_available(outlet=other_outlet, variant_ids=[variant.pk]) == {variant.pk: 0}
    with pytest.raises(InsufficientStock):
        stock_transfer_send(source=outlet, destination=other_outlet, lines=[StockLine(variant.pk, 3)], user=manager)
    with pytest.raises(DomainError) as exc:
        stock_transfer_send(source=outlet, destination=outlet, lines=[StockLine(variant.pk, 1)], user=manager)
    assert exc.value.code == "same_outlet"
    # Only staff of the destination café receive it.
    with pytest.raises(DomainError) as exc:
        stock_transfer_receive(transfer=transfer, user=manager)
    assert exc.value.code == "permission_denied"
    receiver = make_user("manajer_durenan", "outlet_manager", [other_outlet])
    received = stock_transfer_receive(transfer=transfer, user=receiver)
    assert received.status == TransferStatus.RECEIVED and received.closed_by == receiver
    assert stock_available(outlet=other_outlet, variant_ids=[variant.pk]) == {variant.pk: 3}
    for again, who in ((stock_transfer_receive, receiver), (stock_transfer_cancel, manager)):  # closed: no twice
        with pytest.raises(DomainError) as exc:
            again(transfer=transfer, user=who)
        assert exc.value.code == "invalid_transition"
    assert [(m.outlet_id, m.kind, m.quantity) for m in StockMovement.objects.filter(reference=transfer.number)] == [
        (outlet.pk, "transfer_out", -3),
        (other_outlet.pk, "transfer_in", 3),
    ]
    # A transfer called back returns its units to the source.
    back = stock_transfer_send(source=outlet, destination=other_outlet, lines=[StockLine(variant.pk, 2)], user=manager)
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 0}
    assert stock_transfer_cancel(transfer=back, user=manager).status == TransferStatus.CANCELLED
    assert stock_available(outlet=outlet, variant_ids=[variant.pk]) == {variant.pk: 2}
    assert stock_available(outlet=other_outlet, variant_ids=[variant.pk]) == {variant.pk: 3}


def test_return_to_owner_takes_units_out(outlet, variant, stock_in, manager):
    stock_in(outlet, variant, 4)
    stock_return_to_owner(outlet=outlet, lines=[StockLine(variant.pk, 4)], user=manager, note="mendekati kedaluwarsa")
    assert Stock.objects.get(outlet=outlet, variant=variant).quantity == 0
    with pytest.raises(InsufficientStock):
        stock_return_to_owner(outlet=outlet, lines=[StockLine(variant.pk, 1)], user=manager)


def test_reservations_active_for_visit_prefetches_lines(outlet, variant, stock_in, django_assert_num_queries):
    from accounts.services.visits import visit_open

    stock_in(outlet, variant, 3)
    visit = visit_open(outlet=outlet, channel="kiosk")
    stock_reserve(
        outlet=outlet, lines=[StockLine(variant.pk, 1)], expires_at=in_minutes(30), reference="kiosk", visit=visit
    )
    with django_assert_num_queries(2):
        reservations = list(reservations_active_for_visit(visit))
        assert [line.variant.product.name for r in reservations for line in r.lines.all()] == ["Keripik Tempe"]


def test_variant_find_by_barcode_sku_or_internal_code(variant):
    from catalog.barcodes import ean13_complete

    variant.barcode = ean13_complete("899123456789")
    variant.save()
    assert variant_find_by_code(variant.barcode) == variant
    assert variant_find_by_code(variant.sku.lower()) == variant
    assert variant_find_by_code(variant.internal_code.lower()) == variant
    assert variant_find_by_code("0000000000000") is None
    assert variant_find_by_code("  ") is None


def test_reserving_many_lines_costs_the_same_queries_as_one(
    outlet, vendor, make_product, stock_in, django_assert_max_num_queries
):
    variants = [make_product(vendor, name=f"Produk {i}").variants.get() for i in range(5)]
    for v in variants:
        stock_in(outlet, v, 3)
    with django_assert_max_num_queries(8):
        stock_reserve(outlet=outlet, lines=[StockLine(variants[0].pk, 1)], expires_at=in_minutes(5), reference="a")
    with django_assert_max_num_queries(8):
        stock_reserve(
            outlet=outlet, lines=[StockLine(v.pk, 1) for v in variants], expires_at=in_minutes(5), reference="b"
        )
    with django_assert_max_num_queries(9):
        stock_commit_sale(outlet=outlet, lines=[StockLine(v.pk, 1) for v in variants], reference="c")


def test_batches_close_to_their_best_before_date_are_flagged_by_fefo(outlet, vendor, variant, manager, client):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from catalog.selectors import batches_expiring
    from catalog.services.deliveries import DeliveryLineInput, stock_delivery_create, stock_delivery_receive
    from catalog.services.stock import stock_commit_sale

    today = timezone.localdate()
    for code, days in (("A-10", 10), ("B-60", 60)):
        delivery = stock_delivery_create(
            vendor=vendor,
            outlet=outlet,
            lines=[DeliveryLineInput(variant.pk, 5, batch_code=code, expires_on=today + datetime.timedelta(days=days))],
            user=vendor.owner,
        )
        stock_delivery_receive(delivery=delivery, user=manager)
    stock_commit_sale(outlet=outlet, lines=[StockLine(variant.pk, 3)], reference="POS-1")
    # 7 left: FEFO sold from A first, so 5 are B's and 2 are A's.
    (batch,) = batches_expiring(outlet=outlet, within_days=30)
    assert (batch.batch_code, batch.units, batch.days_left, batch.expired) == ("A-10", 2, 10, False)
    later = batches_expiring(outlet=outlet, within_days=30, today=today + datetime.timedelta(days=11))
    assert [(b.batch_code, b.units, b.expired) for b in later] == [("A-10", 2, True)]
    assert [(b.batch_code, b.units) for b in batches_expiring(outlet=outlet, within_days=90)] == [
        ("A-10", 2),
        ("B-60", 5),
    ]
    client.force_login(manager)
    page = client.get(reverse("catalog:outlet-stock"), {"kafe": outlet.pk}).content.decode()
    assert "A-10" in page and "B-60" not in page
    assert "Kedaluwarsa dalam 30 hari" in page and "tinggal 10 hari" in page
    stock_commit_sale(outlet=outlet, lines=[StockLine(variant.pk, 2)], reference="POS-2")
    assert batches_expiring(outlet=outlet, within_days=30) == []  # what is left is batch B
