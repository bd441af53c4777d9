"""Queue mutations: take a ticket at a kiosk, call, recall, start, transfer, complete, no-show."""

import graphene
from django.utils.translation import gettext as _

from accounts.selectors import outlets_for_user, visit_find
from core.exceptions import NotFoundError
from services_desk.error_codes import ServicesDeskErrorCode
from services_desk.models import Counter, QueueTicket, Service
from services_desk.selectors import services_active
from services_desk.services import queue

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..enums import QueuePriorityEnum, enum_value
from ..types import QueueTicketType


def _ticket_for_staff(info, global_id):
    qs = QueueTicket.objects.filter(outlet__in=outlets_for_user(info.context.user)).select_related("service", "outlet")
    return get_node_or_error(global_id, queryset=qs, expected_type="QueueTicket", field="id")


def _counter_for_staff(info, global_id, field="counter"):
    qs = Counter.objects.filter(outlet__in=outlets_for_user(info.context.user)).select_related("outlet")
    return get_node_or_error(global_id, queryset=qs, expected_type="Counter", field=field)


class QueueTicketCreate(BaseMutation):
    """Take a queue ticket for a service at a café (kiosk or desk); it opens a visit and prints."""

    ticket = graphene.Field(QueueTicketType)

    class Arguments:
        outlet = graphene.ID(required=True)
        service = graphene.ID(required=True)
        phone = graphene.String(description="Optional: for the 'your turn is near' message.")
        priority = QueuePriorityEnum(description="Priority class; regular when omitted.")
        visit_code = graphene.String(description="Add the ticket to an open visit of today (its code or QR).")

    class Meta:
        permissions = ("services_desk.add_queueticket",)
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(cls, root, info, outlet, service, phone=None, priority=None, visit_code=None):
        user = info.context.user
        outlet_obj = get_node_or_error(outlet, queryset=outlets_for_user(user), expected_type="Outlet", field="outlet")
        service_obj = get_node_or_error(service, queryset=services_active(), expected_type="Service", field="service")
        visit = None
        if visit_code:
            visit = visit_find(code_or_qr=visit_code, outlet=outlet_obj)
            if visit is None:
                raise NotFoundError(
                    _("No visit %(code)s today at this café.") % {"code": visit_code[:40]}, field="visit_code"
                )
        ticket = queue.ticket_issue(
            outlet=outlet_obj,
            service=service_obj,
            phone=phone or "",
            priority=enum_value(priority) if priority else "regular",
            visit=visit,
            user=user,
        )
        return cls(ticket=ticket)


class QueueCallNext(BaseMutation):
    """Call the next ticket to this counter: due appointments, then priority classes, then arrival."""

    ticket = graphene.Field(QueueTicketType)

    class Arguments:
        counter = graphene.ID(required=True)

    class Meta:
        permissions = ("services_desk.serve_queue",)
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(cls, root, info, counter):
        return cls(ticket=queue.ticket_call_next(counter=_counter_for_staff(info, counter), officer=info.context.user))


class _TicketAction(BaseMutation):
    """A counter's action on one ticket of its café: `action` is the queue service that performs it."""

    ticket = graphene.Field(QueueTicketType)
    action = None

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, root, info, id, **extra):
        return cls(ticket=cls.action(ticket=_ticket_for_staff(info, id), officer=info.context.user, **extra))


class QueueTicketRecall(_TicketAction):
    """Call the ticket at this counter again."""

    action = staticmethod(queue.ticket_recall)

    class Meta:
        permissions = ("services_desk.serve_queue",)
        error_type_class = ServicesDeskErrorCode


class QueueTicketStart(_TicketAction):
    """The person is at the counter: start serving."""

    action = staticmethod(queue.ticket_start)

    class Meta:
        permissions = ("services_desk.serve_queue",)
        error_type_class = ServicesDeskErrorCode


class QueueTicketComplete(_TicketAction):
    """Finish the ticket, recording what was done."""

    action = staticmethod(queue.ticket_complete)

    class Arguments:
        id = graphene.ID(required=True)
        notes = graphene.String(default_value="")

    class Meta:
        permissions = ("services_desk.serve_queue",)
        error_type_class = ServicesDeskErrorCode


class QueueTicketNoShow(_TicketAction):
    """Skip the ticket (Dilewati) after it was called enough times."""

    action = staticmethod(queue.ticket_no_show)

    class Meta:
        permissions = ("services_desk.serve_queue",)
        error_type_class = ServicesDeskErrorCode


class QueueTicketTransfer(_TicketAction):
    """Send the person to another service or counter; the returned ticket keeps number, visit and arrival time."""

    class Arguments:
        id = graphene.ID(required=True)
        service = graphene.ID()
        counter = graphene.ID()
        notes = graphene.String(default_value="")

    class Meta:
        permissions = ("services_desk.serve_queue",)
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, service=None, counter=None, notes=""):
        ticket = _ticket_for_staff(info, id)
        service_obj = (
            get_node_or_error(
                service, queryset=Service.objects.filter(is_active=True), expected_type="Service", field="service"
            )
            if service
            else None
        )
        counter_obj = _counter_for_staff(info, counter) if counter else None
        new = queue.ticket_transfer(
            ticket=ticket, officer=info.context.user, service=service_obj, counter=counter_obj, notes=notes
        )
        return cls(ticket=new)
