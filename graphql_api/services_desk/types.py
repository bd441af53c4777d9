import graphene
from django.urls import reverse
from django.utils import timezone
from graphene import relay
from graphene_django import DjangoObjectType

from services_desk.models import (
    Agency,
    Appointment,
    AppointmentSlot,
    Counter,
    QueueTicket,
    RequestDocument,
    RequestEvent,
    Service,
    ServiceRequest,
)
from services_desk.services.queue import ticket_estimated_wait_minutes

from ..accounts.types import OutletType, VisitType
from ..core.types import CountableConnection, Money
from .enums import QueuePriorityEnum, QueueTicketStatusEnum, ServiceRequestStatusEnum


class AgencyType(DjangoObjectType):
    class Meta:
        model = Agency
        name = "Agency"
        interfaces = (relay.Node,)
        fields = ("id", "name", "short_name", "slug", "kind", "website", "complaint_channel")


class ServiceType(DjangoObjectType):
    cost = graphene.Field(Money, required=True, description="Rp0 for adminduk services, always.")
    requirements = graphene.List(graphene.NonNull(graphene.String), required=True)
    procedure = graphene.List(graphene.NonNull(graphene.String), required=True)
    outlets = graphene.List(graphene.NonNull(OutletType), required=True, description="Cafés offering it.")

    class Meta:
        model = Service
        name = "Service"
        interfaces = (relay.Node,)
        connection_class = CountableConnection
        fields = (
            "id",
            "agency",
            "name",
            "slug",
            "prefix",
            "summary",
            "duration_text",
            "sla_hours",
            "cost_note",
            "is_adminduk",
            "product",
            "complaint_channel",
            "legal_basis",
            "availability",
            "online_url",
            "requires_appointment",
            "accepts_requests",
        )

    def resolve_cost(root, info):
        return Money.of(root.cost)

    def resolve_requirements(root, info):
        return [str(r) for r in root.requirements or []]

    def resolve_procedure(root, info):
        return [str(r) for r in root.procedure or []]

    def resolve_outlets(root, info):
        return list(root.outlets.all())  # prefetched by the list resolvers


class CounterType(DjangoObjectType):
    class Meta:
        model = Counter
        name = "Counter"
        interfaces = (relay.Node,)
        fields = ("id", "name", "number", "outlet", "agency")


class QueueTicketType(DjangoObjectType):
    number = graphene.String(required=True, description="As printed and called, e.g. A-017.")
    sequence = graphene.Int(required=True)
    status = QueueTicketStatusEnum(required=True)
    priority = QueuePriorityEnum(required=True)
    estimated_wait_minutes = graphene.Int(required=True)
    visit = graphene.Field(VisitType)

    class Meta:
        model = QueueTicket
        name = "QueueTicket"
        interfaces = (relay.Node,)
        fields = (
            "id",
            "service",
            "outlet",
            "counter",
            "business_date",
            "arrived_at",
            "due_at",
            "called_at",
            "call_count",
            "started_at",
            "finished_at",
            "notes",
        )

    def resolve_number(root, info):
        return root.display_number

    def resolve_status(root, info):
        return str(root.status)  # a plain value: graphene maps Python enum members by name

    def resolve_priority(root, info):
        return str(root.priority)

    def resolve_sequence(root, info):
        return root.number

    def resolve_estimated_wait_minutes(root, info):
        return ticket_estimated_wait_minutes(ticket=root)


class ServingEntry(graphene.ObjectType):
    number = graphene.String(required=True)
    counter = graphene.String(required=True)
    counter_number = graphene.Int(required=True)
    service = graphene.String(required=True)
    status = QueueTicketStatusEnum(required=True)
    call_count = graphene.Int(required=True)


class QueueStatusType(graphene.ObjectType):
    """What a display board shows: no names, no NIK, no phone numbers."""

    waiting = graphene.Int(required=True)
    serving = graphene.List(graphene.NonNull(ServingEntry), required=True)


class AppointmentSlotType(DjangoObjectType):
    remaining = graphene.Int(required=True)

    class Meta:
        model = AppointmentSlot
        name = "AppointmentSlot"
        interfaces = (relay.Node,)
        fields = ("id", "service", "outlet", "starts_at", "ends_at", "capacity", "booked")

    def resolve_remaining(root, info):
        return root.remaining


class AppointmentType(DjangoObjectType):
    class Meta:
        model = Appointment
        name = "Appointment"
        interfaces = (relay.Node,)
        fields = ("id", "code", "slot", "status", "name")


class RequestEventType(DjangoObjectType):
    class Meta:
        model = RequestEvent
        name = "ServiceRequestEvent"
        fields = ("from_status", "to_status", "note", "created_at")


class RequestDocumentType(DjangoObjectType):
    download_url = graphene.String(
        required=True, description="Served only to the citizen and the agency's officers; logged."
    )

    class Meta:
        model = RequestDocument
        name = "ServiceRequestDocument"
        interfaces = (relay.Node,)
        fields = ("id", "label", "content_type", "size", "created_at")

    def resolve_download_url(root, info):
        return reverse("services_desk:document", args=[root.pk])


class ServiceRequestType(DjangoObjectType):
    status = ServiceRequestStatusEnum(required=True)
    events = graphene.List(graphene.NonNull(RequestEventType), required=True)
    documents = graphene.List(graphene.NonNull(RequestDocumentType), required=True)
    sla_remaining_minutes = graphene.Int(required=True, description="Negative when overdue.")
    is_overdue = graphene.Boolean(required=True)

    class Meta:
        model = ServiceRequest
        name = "ServiceRequest"
        interfaces = (relay.Node,)
        connection_class = CountableConnection
        fields = (
            "id",
            "reference",
            "service",
            "agency",
            "applicant_name",
            "phone",
            "details",
            "due_at",
            "rejection_reason",
            "created_at",
            "closed_at",
        )

    def resolve_status(root, info):
        return str(root.status)

    def resolve_events(root, info):
        return list(root.events.all())

    def resolve_documents(root, info):
        return [d for d in root.documents.all() if d.purged_at is None]

    def resolve_sla_remaining_minutes(root, info):
        return int((root.due_at - (root.closed_at or timezone.now())).total_seconds() // 60)

    def resolve_is_overdue(root, info):
        return root.closed_at is None and root.due_at < timezone.now()


class ReservationLineSummary(graphene.ObjectType):
    variant_id = graphene.Int(required=True)
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True)


class ReservationSummary(graphene.ObjectType):
    reference = graphene.String(required=True)
    status = graphene.String(required=True)
    expires_at = graphene.DateTime()
    lines = graphene.List(graphene.NonNull(ReservationLineSummary), required=True)

    @staticmethod
    def of(reservation):
        lines = []
        for line in reservation.lines.all():
            variant = getattr(line, "variant", None)
            name = str(variant) if variant is not None else ""
            lines.append(ReservationLineSummary(variant_id=line.variant_id, name=name, quantity=line.quantity))
        return ReservationSummary(
            reference=reservation.reference,
            status=str(reservation.status),
            expires_at=reservation.expires_at,
            lines=lines,
        )


class VisitOpenItemsType(graphene.ObjectType):
    """What an officer or cashier sees of a visit: its tickets, open requests and reserved products."""

    visit = graphene.Field(VisitType, required=True)
    tickets = graphene.List(graphene.NonNull(QueueTicketType), required=True)
    requests = graphene.List(graphene.NonNull(ServiceRequestType), required=True)
    reservations = graphene.List(graphene.NonNull(ReservationSummary), required=True)

    def resolve_reservations(root, info):
        return [ReservationSummary.of(r) for r in root.reservations]


class IkmType(graphene.ObjectType):
    respondents = graphene.Int(required=True)
    item_averages = graphene.List(graphene.NonNull(graphene.Float), required=True)
    ikm = graphene.Float(required=True)
    score = graphene.Float(required=True, description="IKM × 25, two decimals.")
    grade = graphene.String(required=True, description="A, B, C or D.")


class IkmRowType(graphene.ObjectType):
    label = graphene.String(required=True)
    ikm = graphene.Field(IkmType)


class QueueKpiType(graphene.ObjectType):
    service_name = graphene.String(required=True)
    tickets = graphene.Int(required=True)
    served = graphene.Int(required=True)
    avg_wait_minutes = graphene.Float()
    p90_wait_minutes = graphene.Float()
    avg_service_minutes = graphene.Float()
    no_show_rate = graphene.Float()
    appointment_share = graphene.Float()
    visits = graphene.Int(required=True)
    visits_bought = graphene.Int(required=True)
    conversion_rate = graphene.Float()


def ikm_type_of(result):
    if result is None:
        return None
    return IkmType(
        respondents=result.respondents,
        item_averages=[float(a) for a in result.item_averages],
        ikm=float(result.ikm),
        score=float(result.score),
        grade=result.grade,
    )
