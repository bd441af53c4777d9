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
