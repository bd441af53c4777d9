"""Queue tickets: gap-free numbers, call-next ordering, and the life of a ticket at a counter."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import InvalidPhone
from accounts.models import Outlet, User, Visit, VisitChannel, VisitStatus
from accounts.phone_numbers import phone_normalize
from accounts.services.visits import business_date_today, visit_open
from core.exceptions import DomainError, PermissionDeniedError
from core.messaging import message_send

from ..error_codes import ServicesDeskErrorCode as Code
from ..exceptions import CounterBusy, InvalidTransition, QueueEmpty, ServiceNotOffered
from ..models import Counter, Kiosk, PriorityClass, QueueTicket, Service, TicketSeries, TicketSource, TicketStatus
from ..permissions import user_can_serve_counter

ACTIVE_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)

# The allowed status changes of a ticket; everything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    TicketStatus.ISSUED: {TicketStatus.CALLED, TicketStatus.CANCELLED},
    TicketStatus.CALLED: {
        TicketStatus.CALLED,
        TicketStatus.SERVING,
        TicketStatus.DONE,
        TicketStatus.NO_SHOW,
        TicketStatus.TRANSFERRED,
        TicketStatus.CANCELLED,
    },
    TicketStatus.SERVING: {TicketStatus.DONE, TicketStatus.TRANSFERRED},
    TicketStatus.DONE: set(),
    TicketStatus.NO_SHOW: set(),
    TicketStatus.CANCELLED: set(),
    TicketStatus.TRANSFERRED: set(),
}


def _transition(ticket: QueueTicket, to: str, **fields) -> QueueTicket:
    """Move a locked ticket to another status, or refuse with a translated message."""
    if to not in TRANSITIONS[ticket.status]:
        raise InvalidTransition(
            _("Ticket %(number)s is “%(status)s” and cannot become “%(to)s”.")
            % {"number": ticket.display_number, "status": ticket.get_status_display(), "to": TicketStatus(to).label}
        )
    ticket.status = to
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=["status", "updated_at", *fields])
    return ticket


def _lock_ticket(ticket: QueueTicket) -> QueueTicket:
    return (
        QueueTicket.objects.select_for_update(of=("self",))
        .select_related("service", "outlet", "counter__outlet")
        .get(pk=ticket.pk)
    )


def _check_officer(counter: Counter, officer: User) -> None:
    if not user_can_serve_counter(officer, counter):
        raise PermissionDeniedError(_("You cannot serve at this counter."), field="counter")


def _check_ticket_at_counter(ticket: QueueTicket, officer: User) -> None:
    if ticket.counter is None:
        raise InvalidTransition(_("Ticket %(number)s has not been called yet.") % {"number": ticket.display_number})
    _check_officer(ticket.counter, officer)


def ticket_number_next(*, outlet: Outlet, prefix: str, business_date: datetime.date) -> int:
    """Take the next number of a series inside the caller's transaction: gap-free, one at a time per series."""
    series, _created = TicketSeries.objects.get_or_create(outlet=outlet, business_date=business_date, prefix=prefix)
    TicketSeries.objects.filter(pk=series.pk).update(last_number=F("last_number") + 1)
    return TicketSeries.objects.values_list("last_number", flat=True).get(pk=series.pk)


def service_check_offered(*, service: Service, outlet: Outlet) -> None:
    """Refuse a ticket for a service that this café does not offer today."""
    if not service.is_active or not service.offered_at_cafes or not outlet.is_active or not outlet.offers_services:
        raise ServiceNotOffered(_("“%(service)s” is not offered at this café.") % {"service": service.name})
    if not service.outlets.filter(pk=outlet.pk).exists():
        raise ServiceNotOffered(_("“%(service)s” is not offered at this café.") % {"service": service.name})


@transaction.atomic
def ticket_issue(
    *,
    outlet: Outlet,
    service: Service,
    phone: str = "",
    priority: str = PriorityClass.REGULAR,
    visit: Visit | None = None,
    source: str = TicketSource.KIOSK,
    kiosk: Kiosk | None = None,
    due_at: datetime.datetime | None = None,
    user: User | None = None,
    print_ticket: bool = True,
) -> QueueTicket:
    """Give a person the next number of the service's series at this café today, in a visit."""
    service_check_offered(service=service, outlet=outlet)
    if service.requires_appointment and source != TicketSource.APPOINTMENT:
        raise DomainError(
            _("“%(service)s” needs an appointment. Book a time online or ask the staff.") % {"service": service.name},
            code=Code.APPOINTMENT_REQUIRED,
            field="service",
        )
    if priority not in PriorityClass.values:
        raise DomainError(_("Choose a valid priority."), code=Code.INVALID, field="priority")
    e164 = ""
    if phone and phone.strip():
        try:
            e164 = phone_normalize(phone)
        except InvalidPhone as exc:
            raise DomainError(exc.message, code=Code.INVALID, field="phone") from None
    today = business_date_today()
    if visit is None:
        channel = VisitChannel.KIOSK if source == TicketSource.KIOSK else VisitChannel.DESK
        visit = visit_open(outlet=outlet, channel=channel, opened_by=user if user and user.is_authenticated else None)
    elif visit.outlet_id != outlet.pk or visit.business_date != today or visit.status != VisitStatus.OPEN:
        raise DomainError(_("This visit is not open at this café today."), code=Code.INVALID, field="visit")
    number = ticket_number_next(outlet=outlet, prefix=service.prefix, business_date=today)
    ticket = QueueTicket.objects.create(
        outlet=outlet,
        service=service,
        business_date=today,
        prefix=service.prefix,
        number=number,
        visit=visit,
        priority=priority,
        source=source,
        phone=e164,
        arrived_at=timezone.now(),
        due_at=due_at,
        kiosk=kiosk,
    )
    if print_ticket:
        from ..ticket_printing import ticket_print

        ticket_print(ticket=ticket, kiosk=kiosk)
    return ticket


def _callable_tickets(*, counter: Counter, now: datetime.datetime) -> QuerySet[QueueTicket]:
    """Waiting tickets this counter may call, best first: due appointments, priority classes, then arrival."""
    grace = datetime.timedelta(minutes=settings.APPOINTMENT_GRACE_MINUTES)
    due = Q(due_at__isnull=False, due_at__lte=now, due_at__gte=now - grace)
    return (
        QueueTicket.objects.filter(
            outlet_id=counter.outlet_id,
            business_date=business_date_today(),
            status=TicketStatus.ISSUED,
            service__in=counter.services.all().values("pk"),
        )
        .filter(Q(target_counter__isnull=True) | Q(target_counter=counter))
        .annotate(
            rank=Case(
                When(due, then=Value(0)),
                When(due_at__gt=now, then=Value(3)),  # early for its appointment: waits for its time unless idle
                When(~Q(priority=PriorityClass.REGULAR), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            sort_time=Case(When(due, then=F("due_at")), default=F("arrived_at")),
        )
        .order_by("rank", "sort_time", "pk")
    )


@transaction.atomic
def ticket_call_next(*, counter: Counter, officer: User) -> QueueTicket:
    """Call the best waiting ticket to this counter; two counters never get the same ticket."""
    counter = Counter.objects.select_for_update().select_related("outlet").get(pk=counter.pk)
    _check_officer(counter, officer)
    if not counter.is_active:
        raise DomainError(_("This counter is closed."), code=Code.INVALID, field="counter")
    if QueueTicket.objects.filter(counter=counter, status__in=ACTIVE_STATUSES).exists():
        raise CounterBusy(_("Finish the current ticket at this counter first."))
    now = timezone.now()
    candidates = _callable_tickets(counter=counter, now=now)
    if transaction.get_connection().features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(skip_locked=True)
    ticket = candidates.first()
    if ticket is None:
        raise QueueEmpty(_("Nobody is waiting for this counter."))
    QueueTicket.objects.filter(pk=ticket.pk, status=TicketStatus.ISSUED).update(
        status=TicketStatus.CALLED, counter=counter, officer=officer, called_at=now, call_count=1, updated_at=now
    )
    ticket.refresh_from_db()
    _notify_near(counter=counter, now=now)
    return ticket


def _notify_near(*, counter: Counter, now: datetime.datetime) -> None:
    """Tell the next few waiting people with a phone that their turn is near (once each, after commit)."""
    ahead = settings.QUEUE_NEAR_NOTIFY_AHEAD
    if ahead <= 0:
        return
    upcoming = list(_callable_tickets(counter=counter, now=now).select_related("service", "outlet")[:ahead])
    to_notify = [t for t in upcoming if t.phone and t.near_notified_at is None]
    if not to_notify:
        return
    QueueTicket.objects.filter(pk__in=[t.pk for t in to_notify]).update(near_notified_at=now)
    for t in to_notify:
        subject = _("Your turn is near")
        body = _(
            "Ticket %(number)s (%(service)s) at %(outlet)s: your turn is near. Please stay close to the counters."
        ) % {"number": t.display_number, "service": t.service.name, "outlet": t.outlet.name}
        transaction.on_commit(lambda s=subject, b=body, p=t.phone: message_send(subject=s, body=b, phone=p))


@transaction.atomic
def ticket_recall(*, ticket: QueueTicket, officer: User) -> QueueTicket:
    """Call the same ticket again (the display chimes again)."""
    ticket = _lock_ticket(ticket)
    _check_ticket_at_counter(ticket, officer)
    return _transition(ticket, TicketStatus.CALLED, call_count=ticket.call_count + 1, called_at=timezone.now())


@transaction.atomic
def ticket_start(*, ticket: QueueTicket, officer: User) -> QueueTicket:
    """The person came to the counter: serving starts."""
    ticket = _lock_ticket(ticket)
    _check_ticket_at_counter(ticket, officer)
    return _transition(ticket, TicketStatus.SERVING, started_at=timezone.now(), officer=officer)


@transaction.atomic
def ticket_complete(*, ticket: QueueTicket, officer: User, notes: str = "") -> QueueTicket:
    """Finish the ticket and record what was done."""
    ticket = _lock_ticket(ticket)
    _check_ticket_at_counter(ticket, officer)
    now = timezone.now()
    return _transition(
        ticket,
        TicketStatus.DONE,
        finished_at=now,
        started_at=ticket.started_at or now,
        notes=notes.strip()[:2000],
        officer=officer,
    )


@transaction.atomic
def ticket_no_show(*, ticket: QueueTicket, officer: User) -> QueueTicket:
    """Skip a called ticket whose person did not come after enough calls."""
    ticket = _lock_ticket(ticket)
    _check_ticket_at_counter(ticket, officer)
    needed = settings.QUEUE_NO_SHOW_AFTER_CALLS
    if ticket.status == TicketStatus.CALLED and ticket.call_count < needed:
        raise DomainError(
            _("Call %(number)s at least %(needed)s times before marking no-show (called %(count)s times).")
            % {"number": ticket.display_number, "needed": needed, "count": ticket.call_count},
            code=Code.NOT_ENOUGH_CALLS,
            field="ticket",
        )
    return _transition(ticket, TicketStatus.NO_SHOW, finished_at=timezone.now())


@transaction.atomic
def ticket_transfer(
    *,
    ticket: QueueTicket,
    officer: User,
    service: Service | None = None,
    counter: Counter | None = None,
    notes: str = "",
) -> QueueTicket:
    """Send the person to another service or counter; the new ticket keeps the number, visit and arrival time."""
    ticket = _lock_ticket(ticket)
    _check_ticket_at_counter(ticket, officer)
    if service is None and counter is None:
        raise DomainError(_("Choose the service or counter to transfer to."), code=Code.INVALID, field="service")
    target_service = service or ticket.service
    if counter is not None:
        if counter.outlet_id != ticket.outlet_id or not counter.is_active:
            raise DomainError(_("Choose an open counter of this café."), code=Code.INVALID, field="counter")
        if not counter.services.filter(pk=target_service.pk).exists():
            raise DomainError(
                _("That counter does not serve “%(service)s”.") % {"service": target_service.name},
                code=Code.INVALID,
                field="counter",
            )
    if counter is None and target_service.pk == ticket.service_id:
        raise DomainError(_("The ticket is already for this service."), code=Code.INVALID, field="service")
    service_check_offered(service=target_service, outlet=ticket.outlet)
    now = timezone.now()
    _transition(ticket, TicketStatus.TRANSFERRED, finished_at=now, notes=notes.strip()[:2000])
    return QueueTicket.objects.create(
        outlet_id=ticket.outlet_id,
        service=target_service,
        business_date=ticket.business_date,
        prefix=ticket.prefix,
        number=ticket.number,
        visit_id=ticket.visit_id,
        priority=ticket.priority,
        source=TicketSource.TRANSFER,
        phone=ticket.phone,
        arrived_at=ticket.arrived_at,
        due_at=None,
        target_counter=counter,
        transferred_from=ticket,
    )


@transaction.atomic
def ticket_cancel(*, ticket: QueueTicket) -> QueueTicket:
    """Cancel a ticket that is still waiting or being called."""
    ticket = _lock_ticket(ticket)
    return _transition(ticket, TicketStatus.CANCELLED, finished_at=timezone.now())


def ticket_estimated_wait_minutes(*, ticket: QueueTicket) -> int:
    """Estimate minutes until the ticket is called: people ahead × average service time ÷ open counters."""
    if ticket.status != TicketStatus.ISSUED:
        return 0
    ahead = QueueTicket.objects.filter(
        outlet_id=ticket.outlet_id,
        business_date=ticket.business_date,
        service_id=ticket.service_id,
        status=TicketStatus.ISSUED,
        arrived_at__lt=ticket.arrived_at,
    ).count()
    counters = Counter.objects.filter(outlet_id=ticket.outlet_id, is_active=True, services=ticket.service_id).count()
    return math.ceil(ahead * ticket.service.average_service_minutes / max(1, counters))
