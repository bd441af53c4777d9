import datetime

import graphene
from graphene_django.fields import DjangoConnectionField

from accounts.selectors import outlets_active, outlets_for_user
from services_desk.models import Counter
from services_desk.selectors import (
    agencies_active,
    ikm_report,
    queue_kpis,
    queue_status,
    requests_prefetched,
    service_by_slug,
    service_requests_for_user,
    services_search,
    slots_open,
    visit_open_items,
)

from ..core.ids import get_node_or_error
from ..core.permissions import require_permissions
from .enums import ServiceRequestStatusEnum, enum_value
from .mutations.appointments import AppointmentBook, AppointmentSlotsOpen, AppointmentSlotUpdate
from .mutations.queue import (
    QueueCallNext,
    QueueTicketComplete,
    QueueTicketCreate,
    QueueTicketNoShow,
    QueueTicketRecall,
    QueueTicketStart,
    QueueTicketTransfer,
)
from .mutations.requests import ServiceRequestCreate, ServiceRequestUpdateStatus
from .mutations.survey import SurveySubmit
from .mutations.visits import VisitReserveProducts, visit_for_staff
from .types import (
    AgencyType,
    AppointmentSlotType,
    CounterType,
    IkmRowType,
    QueueKpiType,
    QueueStatusType,
    ServiceRequestType,
    ServiceType,
    ServingEntry,
    VisitOpenItemsType,
    ikm_type_of,
)


class ServiceFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Words citizens use, e.g. 'ktp hilang'.")
    agency = graphene.ID()
    outlet = graphene.ID(description="Only services offered at this café.")


class IkmReportType(graphene.ObjectType):
    total = graphene.Field("graphql_api.services_desk.types.IkmType")
    rows = graphene.List(graphene.NonNull(IkmRowType), required=True)


class QueueKpiReportType(graphene.ObjectType):
    total = graphene.Field(QueueKpiType, required=True)
    services = graphene.List(graphene.NonNull(QueueKpiType), required=True)


class ServicesDeskQueries(graphene.ObjectType):
    agencies = graphene.List(graphene.NonNull(AgencyType), required=True, description="Active agencies.")
    services = DjangoConnectionField(ServiceType, filter=ServiceFilterInput(), description="The service catalogue.")
    service = graphene.Field(ServiceType, slug=graphene.String(required=True))
    appointment_slots = graphene.List(
        graphene.NonNull(AppointmentSlotType),
        required=True,
        service=graphene.String(required=True, description="Slug."),
        outlet=graphene.ID(),
        description="Bookable times of the next 14 days.",
    )
    queue_status = graphene.Field(
        QueueStatusType, outlet=graphene.ID(required=True), description="Public: what the display board shows."
    )
    counters = graphene.List(graphene.NonNull(CounterType), required=True, outlet=graphene.ID(required=True))
    service_requests = DjangoConnectionField(
        ServiceRequestType,
        status=ServiceRequestStatusEnum(),
        description="Your own requests; for agency staff and API clients also those assigned to the agency.",
    )
    visit_open_items = graphene.Field(
        VisitOpenItemsType,
        code=graphene.String(required=True),
        outlet=graphene.ID(),
        description="Staff: the visit's tickets, open requests and reserved products.",
    )
    queue_kpis = graphene.Field(
        QueueKpiReportType, outlet=graphene.ID(required=True), date=graphene.Date(required=True)
    )
    ikm_report = graphene.Field(
        IkmReportType,
        date_from=graphene.Date(required=True),
        date_to=graphene.Date(required=True),
        outlet=graphene.ID(),
        by=graphene.String(default_value="service", description="service, counter or outlet"),
    )

    def resolve_agencies(root, info):
        return agencies_active()

    def resolve_services(root, info, filter=None, **kwargs):
        filter = filter or {}
        agency = outlet = None
        if filter.get("agency"):
            agency = get_node_or_error(
                filter["agency"], queryset=agencies_active(), expected_type="Agency", field="agency"
            )
        if filter.get("outlet"):
            outlet = get_node_or_error(
                filter["outlet"], queryset=outlets_active(), expected_type="Outlet", field="outlet"
            )
        return services_search(search=filter.get("search") or "", agency=agency, outlet=outlet).prefetch_related(
            "outlets"
        )

    def resolve_service(root, info, slug):
        return service_by_slug(slug)

    def resolve_appointment_slots(root, info, service, outlet=None):
        service_obj = service_by_slug(service)
        if service_obj is None:
            return []
        outlet_obj = (
            get_node_or_error(outlet, queryset=outlets_active(), expected_type="Outlet", field="outlet")
            if outlet
            else None
        )
        return slots_open(service=service_obj, outlet=outlet_obj)

    def resolve_queue_status(root, info, outlet):
        outlet_obj = get_node_or_error(outlet, queryset=outlets_active(), expected_type="Outlet", field="outlet")
        status = queue_status(outlet=outlet_obj)
        return QueueStatusType(
            waiting=status.waiting,
            serving=[
                ServingEntry(
                    number=t.display_number,
                    counter=t.counter.name,
                    counter_number=t.counter.number,
                    service=t.service.name,
                    status=str(t.status),
                    call_count=t.call_count,
                )
                for t in status.serving
            ],
        )

    def resolve_counters(root, info, outlet):
        outlet_obj = get_node_or_error(outlet, queryset=outlets_active(), expected_type="Outlet", field="outlet")
        return Counter.objects.filter(outlet=outlet_obj, is_active=True).select_related("outlet", "agency")

    def resolve_service_requests(root, info, status=None, **kwargs):
        qs = service_requests_for_user(info.context.user)
        if status:
            qs = qs.filter(status=enum_value(status))
        return requests_prefetched(qs.order_by("due_at", "pk"))

    def resolve_visit_open_items(root, info, code, outlet=None):
        require_permissions(info, ["accounts.view_visit"])
        return visit_open_items(visit=visit_for_staff(info.context.user, code, outlet))

    def resolve_queue_kpis(root, info, outlet, date: datetime.date):
        require_permissions(info, ["services_desk.view_queue_reports"])
        outlet_obj = get_node_or_error(
            outlet, queryset=outlets_for_user(info.context.user), expected_type="Outlet", field="outlet"
        )
        total, services = queue_kpis(outlet=outlet_obj, date=date)
        return QueueKpiReportType(total=total, services=services)

    def resolve_ikm_report(root, info, date_from, date_to, outlet=None, by="service"):
        require_permissions(info, ["services_desk.view_queue_reports"])
        outlet_obj = (
            get_node_or_error(
                outlet, queryset=outlets_for_user(info.context.user), expected_type="Outlet", field="outlet"
            )
            if outlet
            else None
        )
        total, rows = ikm_report(
            date_from=date_from,
            date_to=date_to,
            outlet=outlet_obj,
            by=by if by in ("service", "counter", "outlet") else "service",
        )
        return IkmReportType(
            total=ikm_type_of(total), rows=[IkmRowType(label=r.label, ikm=ikm_type_of(r.result)) for r in rows]
        )


class ServicesDeskMutations(graphene.ObjectType):
    queue_ticket_create = QueueTicketCreate.Field()
    queue_call_next = QueueCallNext.Field()
    queue_ticket_recall = QueueTicketRecall.Field()
    queue_ticket_start = QueueTicketStart.Field()
    queue_ticket_transfer = QueueTicketTransfer.Field()
    queue_ticket_complete = QueueTicketComplete.Field()
    queue_ticket_no_show = QueueTicketNoShow.Field()
    appointment_book = AppointmentBook.Field()
    appointment_slots_open = AppointmentSlotsOpen.Field()
    appointment_slot_update = AppointmentSlotUpdate.Field()
    service_request_create = ServiceRequestCreate.Field()
    service_request_update_status = ServiceRequestUpdateStatus.Field()
    visit_reserve_products = VisitReserveProducts.Field()
    survey_submit = SurveySubmit.Field()


__all__ = ["ServicesDeskQueries", "ServicesDeskMutations"]
