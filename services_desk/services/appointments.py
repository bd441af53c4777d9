"""Appointment slots with capacity, booking, and check-in that joins the queue at the booked time."""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import InvalidPhone
from accounts.models import Outlet, User
from accounts.phone_numbers import phone_normalize
from accounts.selectors import user_can_act_at_outlet
from accounts.services.visits import business_date_today
from core.exceptions import DomainError, NotFoundError

from ..error_codes import ServicesDeskErrorCode as Code
from ..exceptions import SlotFull
from ..models import Appointment, AppointmentSlot, AppointmentStatus, Kiosk, QueueTicket, Service, TicketSource
from .queue import service_check_offered, ticket_issue

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


@transaction.atomic
def appointment_slots_generate(
    *,
    service: Service,
    outlet: Outlet,
    date: datetime.date,
    start: datetime.time,
    end: datetime.time,
    minutes: int = 30,
    capacity: int = 2,
) -> list[AppointmentSlot]:
    """Create the day's slots of a service at a café (existing ones are kept). Return the day's slots."""
    if minutes <= 0 or capacity <= 0:
        raise DomainError(_("Slot length and capacity must be positive."), code=Code.INVALID, field="capacity")
    tz = timezone.get_current_timezone()
    cursor = datetime.datetime.combine(date, start, tzinfo=tz)
    stop = datetime.datetime.combine(date, end, tzinfo=tz)
    while cursor + datetime.timedelta(minutes=minutes) <= stop:
        AppointmentSlot.objects.get_or_create(
            service=service,
            outlet=outlet,
            starts_at=cursor,
            defaults={"ends_at": cursor + datetime.timedelta(minutes=minutes), "capacity": capacity},
        )
        cursor += datetime.timedelta(minutes=minutes)
    return list(
        AppointmentSlot.objects.filter(service=service, outlet=outlet, starts_at__date=date).order_by("starts_at")
    )


MAX_PLAN_DAYS = 92
MAX_PLAN_SLOTS = 5000


@transaction.atomic
def appointment_slots_plan(
    *,
    service: Service,
    outlet: Outlet,
    date_from: datetime.date,
    date_to: datetime.date,
    start: datetime.time,
    end: datetime.time,
    minutes: int = 30,
    capacity: int = 2,
    weekdays: set[int] | None = None,
    user: User | None = None,
) -> tuple[int, list[AppointmentSlot]]:
    """Open bookable slots for a service at a café on each chosen weekday (0 = Monday) of a date range.

    Slots that already exist at the same start are kept as they are (their bookings untouched).
    Returns how many slots were new, and the range's slots.
    """
    if user is not None and not user_can_act_at_outlet(user, outlet.pk):
        raise DomainError(_("You are not assigned to this café."), code=Code.PERMISSION_DENIED, field="outlet")
    service_check_offered(service=service, outlet=outlet)
    if minutes <= 0 or minutes > 8 * 60 or capacity <= 0 or capacity > 500:
        raise DomainError(
            _("A slot lasts 1 to 480 minutes and takes 1 to 500 people."), code=Code.INVALID, field="capacity"
        )
    if date_to < date_from or (date_to - date_from).days >= MAX_PLAN_DAYS:
        raise DomainError(
            _("Choose an end date on or after the start date, at most %(days)d days later.") % {"days": MAX_PLAN_DAYS},
            code=Code.INVALID,
            field="date_to",
        )
    if date_from < business_date_today():
        raise DomainError(_("Slots cannot start in the past."), code=Code.SLOT_PASSED, field="date_from")
    if start >= end:
        raise DomainError(_("The day must end after it starts."), code=Code.INVALID, field="end")
    days = weekdays if weekdays else set(range(7))
    if not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
        raise DomainError(_("Choose days of the week."), code=Code.INVALID, field="weekdays")
    tz = timezone.get_current_timezone()
    now = timezone.now()
    planned = []
    day = date_from
    while day <= date_to:
        if day.weekday() in days:
            cursor = datetime.datetime.combine(day, start, tzinfo=tz)
            stop = datetime.datetime.combine(day, end, tzinfo=tz)
            while cursor + datetime.timedelta(minutes=minutes) <= stop:
                if cursor > now:
                    planned.append(
                        AppointmentSlot(
                            service=service,
                            outlet=outlet,
                            starts_at=cursor,
                            ends_at=cursor + datetime.timedelta(minutes=minutes),
                            capacity=capacity,
                        )
                    )
                cursor += datetime.timedelta(minutes=minutes)
        day += datetime.timedelta(days=1)
    if len(planned) > MAX_PLAN_SLOTS:
        raise DomainError(
            _("That is more than %(max)d slots at once: plan a shorter range.") % {"max": MAX_PLAN_SLOTS},
            code=Code.INVALID,
            field="date_to",
        )
    in_range = AppointmentSlot.objects.filter(
        service=service,
        outlet=outlet,
        starts_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz),
        starts_at__lt=datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )
    before = in_range.count()
    # The unique (service, café, start) keeps what exists, also when two managers plan at once.
    AppointmentSlot.objects.bulk_create(planned, ignore_conflicts=True)
    slots = list(in_range.order_by("starts_at"))
    return len(slots) - before, slots


@transaction.atomic
def appointment_slot_capacity_set(*, slot: AppointmentSlot, capacity: int, user: User | None = None) -> AppointmentSlot:
    """Change how many people a slot takes; never below those already booked (0 more = closed)."""
    slot = AppointmentSlot.objects.select_for_update().get(pk=slot.pk)
    if user is not None and not user_can_act_at_outlet(user, slot.outlet_id):
        raise DomainError(_("You are not assigned to this café."), code=Code.PERMISSION_DENIED, field="id")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0 or capacity > 500:
        raise DomainError(_("Capacity is a whole number from 0 to 500."), code=Code.INVALID, field="capacity")
    if capacity < slot.booked:
        raise DomainError(
            _("%(booked)d people have booked this slot: the capacity cannot go below that.") % {"booked": slot.booked},
            code=Code.INVALID,
            field="capacity",
        )
    slot.capacity = capacity
    slot.save(update_fields=["capacity", "updated_at"])
    return slot


@transaction.atomic
def appointment_book(*, slot: AppointmentSlot, name: str, phone: str, user: User | None = None) -> Appointment:
    """Book one place in a slot; the capacity holds under concurrency (conditional F() update)."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the name of the person coming."), code=Code.INVALID, field="name")
    try:
        e164 = phone_normalize(phone)
    except InvalidPhone as exc:
        raise DomainError(exc.message, code=Code.INVALID, field="phone") from None
    slot = AppointmentSlot.objects.select_related("service", "outlet").get(pk=slot.pk)
    service_check_offered(service=slot.service, outlet=slot.outlet)
    if slot.starts_at <= timezone.now():
        raise DomainError(_("This time has already passed. Choose a later one."), code=Code.SLOT_PASSED, field="slot")
    taken = AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise SlotFull(_("This time is fully booked. Choose another one."))
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return Appointment.objects.create(
                    slot=slot,
                    code="".join(secrets.choice(CODE_ALPHABET) for _ in range(6)),
                    user=user if user and user.is_authenticated else None,
                    name=name[:120],
                    phone=e164,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not draw a free appointment code")


@transaction.atomic
def appointment_cancel(*, appointment: Appointment) -> Appointment:
    """Cancel a booked appointment and free its place. Cancelling twice is harmless."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status == AppointmentStatus.CANCELLED:
        return appointment
    if appointment.status != AppointmentStatus.BOOKED:
        raise DomainError(_("This appointment has already checked in."), code=Code.INVALID_TRANSITION, field="status")
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status", "updated_at"])
    AppointmentSlot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return appointment


@transaction.atomic
def appointment_check_in(
    *, code: str, outlet: Outlet, kiosk: Kiosk | None = None, user: User | None = None
) -> QueueTicket:
    """Turn today's appointment into a queue ticket that goes first at its time."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__service", "slot__outlet")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if appointment is None or appointment.slot.outlet_id != outlet.pk:
        raise NotFoundError(_("No appointment with this code at this café."), field="code")
    if appointment.status != AppointmentStatus.BOOKED:
        raise DomainError(
            _("This appointment has already checked in or was cancelled."), code=Code.INVALID_TRANSITION, field="code"
        )
    if timezone.localtime(appointment.slot.starts_at).date() != business_date_today():
        raise DomainError(
            _("This appointment is for %(date)s.")
            % {"date": f"{timezone.localtime(appointment.slot.starts_at):%d/%m/%Y}"},
            code=Code.APPOINTMENT_NOT_TODAY,
            field="code",
        )
    ticket = ticket_issue(
        outlet=outlet,
        service=appointment.slot.service,
        phone=appointment.phone,
        source=TicketSource.APPOINTMENT,
        kiosk=kiosk,
        due_at=appointment.slot.starts_at,
        user=user,
    )
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.ticket = ticket
    appointment.save(update_fields=["status", "ticket", "updated_at"])
    return ticket
