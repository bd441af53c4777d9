"""Appointments: slots with capacity, booking, check-in joining the queue at the booked time."""

import datetime

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from services_desk.models import Appointment, AppointmentSlot, AppointmentStatus, TicketSource


@pytest.fixture
def slot(ktp, outlet):
    start = timezone.now() + datetime.timedelta(hours=1)
    return AppointmentSlot.objects.create(
        service=ktp, outlet=outlet, starts_at=start, ends_at=start + datetime.timedelta(minutes=30), capacity=2
    )


@pytest.mark.django_db
def test_slots_generated_for_a_day(ktp, outlet):
    from services_desk.services.appointments import appointment_slots_generate

    day = timezone.localdate() + datetime.timedelta(days=1)
    slots = appointment_slots_generate(
        service=ktp, outlet=outlet, date=day, start=datetime.time(8), end=datetime.time(10), minutes=30, capacity=3
    )
    again = appointment_slots_generate(
        service=ktp, outlet=outlet, date=day, start=datetime.time(8), end=datetime.time(10)
    )
    assert [timezone.localtime(s.starts_at).strftime("%H.%M") for s in slots] == ["08.00", "08.30", "09.00", "09.30"]
    assert len(again) == 4 and AppointmentSlot.objects.count() == 4


@pytest.mark.django_db
def test_booking_respects_capacity(slot, customer_user):
    from services_desk.services.appointments import appointment_book

    a = appointment_book(slot=slot, name="Siti", phone="081234567890", user=customer_user)
    appointment_book(slot=slot, name="Budi", phone="081234567891")
    with pytest.raises(DomainError) as exc:
        appointment_book(slot=slot, name="Joko", phone="081234567892")
    assert exc.value.code == "slot_full"
    slot.refresh_from_db()
    assert (slot.booked, Appointment.objects.count()) == (2, 2)
    assert len(a.code) == 6 and a.phone == "+6281234567890"


@pytest.mark.django_db
def test_booking_refusals_change_nothing(slot):
    from services_desk.services.appointments import appointment_book

    for kwargs in ({"name": "", "phone": "081234567890"}, {"name": "Siti", "phone": "x"}):
        with pytest.raises(DomainError):
            appointment_book(slot=slot, **kwargs)
    AppointmentSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(DomainError) as exc:
        appointment_book(slot=slot, name="Siti", phone="081234567890")
    assert exc.value.code == "slot_passed"
    slot.refresh_from_db()
    assert slot.booked == 0 and not Appointment.objects.exists()


@pytest.mark.django_db
def test_cancel_frees_the_place(slot):
    from services_desk.services.appointments import appointment_book, appointment_cancel

    a = appointment_book(slot=slot, name="Siti", phone="081234567890")
    appointment_cancel(appointment=a)
    appointment_cancel(appointment=a)
    slot.refresh_from_db()
    assert slot.booked == 0


@pytest.mark.django_db
def test_check_in_joins_the_queue_at_its_time(slot, outlet, other_outlet):
    from services_desk.services.appointments import appointment_book, appointment_check_in

    from .conftest import later_today

    a = appointment_book(slot=slot, name="Siti", phone="081234567890")
    # Booked ahead; the citizen arrives on the day, whatever the hour the test runs at (even 23:50 WIB).
    soon = later_today()
    AppointmentSlot.objects.filter(pk=slot.pk).update(starts_at=soon, ends_at=soon + datetime.timedelta(minutes=30))
    slot.refresh_from_db()
    with pytest.raises(DomainError):
        appointment_check_in(code=a.code, outlet=other_outlet)
    ticket = appointment_check_in(code=a.code.lower(), outlet=outlet)
    assert (ticket.source, ticket.due_at, ticket.phone) == (TicketSource.APPOINTMENT, slot.starts_at, "+6281234567890")
    a.refresh_from_db()
    assert a.status == AppointmentStatus.CHECKED_IN and a.ticket_id == ticket.pk
    with pytest.raises(DomainError):
        appointment_check_in(code=a.code, outlet=outlet)


@pytest.mark.django_db
def test_check_in_on_another_day_refused(slot, outlet):
    from services_desk.services.appointments import appointment_book, appointment_check_in

    a = appointment_book(slot=slot, name="Siti", phone="081234567890")
    AppointmentSlot.objects.filter(pk=slot.pk).update(starts_at=slot.starts_at + datetime.timedelta(days=2))
    with pytest.raises(DomainError) as exc:
        appointment_check_in(code=a.code, outlet=outlet)
    assert exc.value.code == "appointment_not_today"


@pytest.mark.django_db
def test_slots_planned_over_a_range_of_weekdays(ktp, outlet, other_outlet, manager, make_user):
    from core.exceptions import DomainError
    from services_desk.services.appointments import (
        appointment_book,
        appointment_slot_capacity_set,
        appointment_slots_plan,
    )

    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    plan = dict(
        service=ktp,
        outlet=outlet,
        date_from=monday,
        date_to=monday + datetime.timedelta(days=13),
        start=datetime.time(8),
        end=datetime.time(10),
        minutes=30,
        capacity=3,
        weekdays={0, 2},  # Mondays and Wednesdays
        user=manager,
    )
    created, slots = appointment_slots_plan(**plan)
    assert created == 16 and len(slots) == 16  # 4 days × 4 half-hours
    assert {timezone.localtime(s.starts_at).weekday() for s in slots} == {0, 2}
    assert timezone.localtime(slots[0].starts_at).time() == datetime.time(8) and slots[0].capacity == 3
    # Planned again with a wider day: the existing slots and their bookings stay as they were.
    booking = appointment_book(slot=slots[0], name="Siti", phone="081234567890")
    created, slots = appointment_slots_plan(**{**plan, "end": datetime.time(11)})
    assert created == 8 and len(slots) == 24
    assert AppointmentSlot.objects.get(pk=booking.slot_id).booked == 1
    # Capacity never below the bookings; equal closes the slot.
    with pytest.raises(DomainError):
        appointment_slot_capacity_set(slot=slots[0], capacity=0, user=manager)
    assert appointment_slot_capacity_set(slot=slots[0], capacity=1, user=manager).remaining == 0
    # Refusals change nothing.
    before = AppointmentSlot.objects.count()
    elsewhere = make_user("manajer_durenan", "outlet_manager", [other_outlet])
    for bad in (
        {"user": elsewhere},
        {"date_from": timezone.localdate() - datetime.timedelta(days=1)},
        {"date_to": monday - datetime.timedelta(days=1)},
        {"date_to": monday + datetime.timedelta(days=200)},
        {"start": datetime.time(10), "end": datetime.time(9)},
        {"capacity": 0},
        {"weekdays": {9}},
    ):
        with pytest.raises(DomainError):
            appointment_slots_plan(**{**plan, **bad})
    assert AppointmentSlot.objects.count() == before
