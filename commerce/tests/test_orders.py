"""The order lifecycle: the transition table, events with who and when, staff actions, codes, messages."""

import pytest
from django.db import transaction

from commerce.exceptions import InvalidPickupCode, InvalidTransition
from commerce.models import DeliveryMethod, Order, OrderEvent, OrderStatus
from commerce.order_codes import ALPHABET, order_number_generate, order_token_generate, pickup_code_parse
from commerce.services.orders import (
    ORDER_TRANSITIONS,
    order_hand_over,
    order_lock,
    order_mark_delivered,
    order_mark_ready,
    order_mark_shipped,
    order_transition,
)
from core.exceptions import NotFoundError
from core.messaging import ConsoleProvider

S = OrderStatus


def make_order(outlet, *, status=S.PAID, method=DeliveryMethod.PICKUP, stock_committed=True, **extra):
    from commerce.order_codes import pickup_code_generate

    return Order.objects.create(
        number=order_number_generate(), token=order_token_generate(), pickup_code=pickup_code_generate(),
        delivery_method=method, outlet=outlet, name="Siti", phone="+6281234567890", subtotal=30000, delivery_fee=0,
        total=30000, status=status, stock_committed=stock_committed, **extra,
    )


def test_order_numbers_tokens_and_codes_are_random_and_readable():
    numbers = {order_number_generate() for _ in range(2000)}
    assert len(numbers) == 2000
    for number in list(numbers)[:50]:
        assert number.startswith("GM-") and len(number) == 12
        assert set(number[3:].replace("-", "")) <= set(ALPHABET)
    assert len(order_token_generate()) >= 43
    assert pickup_code_parse("GMO1:GM-ACDE-FGHJ:KMNPQRTU") == ("GM-ACDE-FGHJ", "KMNPQRTU")
    assert pickup_code_parse(" kmnp-qrtu ") == (None, "KMNPQRTU")


def test_every_status_has_a_row_and_terminal_refunded():
    assert set(ORDER_TRANSITIONS) == set(S.values)
    assert ORDER_TRANSITIONS[S.REFUNDED] == frozenset()
    assert S.PAID in ORDER_TRANSITIONS[S.EXPIRED]  # late payment revives, flagged elsewhere


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start,target,allowed",
    [
        (S.UNPAID, S.PAID, True), (S.UNPAID, S.EXPIRED, True), (S.UNPAID, S.READY_FOR_PICKUP, False),
        (S.PAID, S.READY_FOR_PICKUP, True), (S.PAID, S.COMPLETED, False), (S.READY_FOR_PICKUP, S.COMPLETED, True),
        (S.COMPLETED, S.PAID, False), (S.REFUNDED, S.PAID, False), (S.CANCELLED, S.READY_FOR_PICKUP, False),
    ],
)
def test_transition_table_is_enforced(outlet, manager, start, target, allowed):
    order = make_order(outlet, status=start)
    with transaction.atomic():
        locked = order_lock(order)
        if allowed:
            order_transition(order=locked, to_status=target, user=manager)
        else:
            with pytest.raises(InvalidTransition):
                order_transition(order=locked, to_status=target, user=manager)
    order.refresh_from_db()
    assert order.status == (target if allowed else start)
    events = list(OrderEvent.objects.filter(order=order))
    if allowed:
        assert [(e.from_status, e.to_status, e.user) for e in events] == [(start, target, manager)]
    else:
        assert events == []


@pytest.mark.django_db(transaction=True)
def test_status_change_messages_the_shopper_after_commit(outlet, cashier):
    order = make_order(outlet, status=S.PAID, email="siti@example.id")
    order_mark_ready(order=order, user=cashier)
    assert len(ConsoleProvider.sent) == 1
    message = ConsoleProvider.sent[0]
    assert message.phone == "+6281234567890" and message.email == "siti@example.id"
    assert order.number in message.subject and "Siap Diambil" in message.subject
    assert order.pickup_code in message.body and f"t={order.token}" in message.body
    # A refused change sends nothing.
    with pytest.raises(InvalidTransition):
        order_mark_ready(order=order, user=cashier)
    assert len(ConsoleProvider.sent) == 1


@pytest.mark.django_db
def test_mark_ready_then_hand_over_by_scanned_qr(outlet, cashier):
    order = make_order(outlet, status=S.PAID)
    order_mark_ready(order=order, user=cashier)
    order.refresh_from_db()
    assert order.status == S.READY_FOR_PICKUP and order.ready_at
    done = order_hand_over(pickup_code=order.pickup_qr_payload, user=cashier, outlets=[outlet])
    assert done.status == S.COMPLETED and done.completed_at
    assert list(OrderEvent.objects.filter(order=order).values_list("to_status", "user__username")) == [
        (S.READY_FOR_PICKUP, "kasir"), (S.COMPLETED, "kasir")]


@pytest.mark.django_db
def test_hand_over_refusals_change_nothing(outlet, other_outlet, cashier):
    paid = make_order(outlet, status=S.PAID)
    ready = make_order(outlet, status=S.READY_FOR_PICKUP)
    elsewhere = make_order(other_outlet, status=S.READY_FOR_PICKUP)
    with pytest.raises(InvalidTransition):  # not ready yet
        order_hand_over(pickup_code=paid.pickup_code, user=cashier, outlets=[outlet])
    with pytest.raises(InvalidPickupCode):  # another café's order
        order_hand_over(pickup_code=elsewhere.pickup_code, user=cashier, outlets=[outlet])
    with pytest.raises(InvalidPickupCode):  # a typo
        order_hand_over(pickup_code="XXXXXXXX", user=cashier, outlets=[outlet])
    with pytest.raises(InvalidPickupCode):  # a QR whose number does not match its code
        order_hand_over(pickup_code=f"GMO1:{paid.number}:{ready.pickup_code}", user=cashier, outlets=[outlet])
    assert [o.status for o in Order.objects.order_by("pk")] == [S.PAID, S.READY_FOR_PICKUP, S.READY_FOR_PICKUP]
    assert not OrderEvent.objects.exists()


@pytest.mark.django_db
def test_staff_of_another_cafe_cannot_touch_the_order(outlet, other_outlet, make_user):
    order = make_order(outlet, status=S.PAID)
    durenan_cashier = make_user("kasir_drn", "cashier", [other_outlet])
    durenan_cashier.restricted_to_outlets = True
    durenan_cashier.save()
    with pytest.raises(NotFoundError):
        order_mark_ready(order=order, user=durenan_cashier)
    order.refresh_from_db()
    assert order.status == S.PAID


@pytest.mark.django_db
def test_delivery_orders_ship_then_complete(outlet, cashier):
    order = make_order(outlet, status=S.PAID, method=DeliveryMethod.DELIVERY, address_kecamatan="Durenan")
    with pytest.raises(InvalidTransition):
        order_mark_ready(order=order, user=cashier)
    order_mark_shipped(order=order, user=cashier)
    order_mark_delivered(order=order, user=cashier)
    order.refresh_from_db()
    assert order.status == S.COMPLETED and order.shipped_at and order.completed_at


@pytest.mark.django_db
def test_order_without_stock_cannot_be_made_ready(outlet, cashier):
    order = make_order(outlet, status=S.PAID, stock_committed=False)
    with pytest.raises(Exception) as exc:
        order_mark_ready(order=order, user=cashier)
    assert exc.value.code == "stock_not_taken"
    order.refresh_from_db()
    assert order.status == S.PAID
