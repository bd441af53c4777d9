import graphene

from accounts.selectors import outlets_for_user
from services_desk.error_codes import ServicesDeskErrorCode
from services_desk.models import AppointmentSlot, Service
from services_desk.services.appointments import appointment_book, appointment_slot_capacity_set, appointment_slots_plan

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..types import AppointmentSlotType, AppointmentType


class AppointmentBook(BaseMutation):
    """Book a time for a service at a café (Terdaftar Online); check in at the kiosk with the code."""

    appointment = graphene.Field(AppointmentType)

    class Arguments:
        slot = graphene.ID(required=True)
        name = graphene.String(required=True)
        phone = graphene.String(required=True)

    class Meta:
        login_required = True
        permissions = ("services_desk.add_appointment",)
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(cls, root, info, slot, name, phone):
        slot_obj = get_node_or_error(
            slot, queryset=AppointmentSlot.objects.all(), expected_type="AppointmentSlot", field="slot"
        )
        return cls(appointment=appointment_book(slot=slot_obj, name=name, phone=phone, user=info.context.user))


class AppointmentSlotsOpenInput(graphene.InputObjectType):
    service = graphene.ID(required=True)
    outlet = graphene.ID(required=True)
    date_from = graphene.Date(required=True)
    date_to = graphene.Date(required=True)
    weekdays = graphene.List(graphene.NonNull(graphene.Int), description="0 = Monday … 6 = Sunday; default every day.")
    start = graphene.Time(required=True, description="When the first slot of each day starts (WIB).")
    end = graphene.Time(required=True, description="When the last slot of each day ends (WIB).")
    minutes = graphene.Int(default_value=30)
    capacity = graphene.Int(default_value=2)


class AppointmentSlotsOpen(BaseMutation):
    """Open bookable slots for a service at a café on chosen weekdays of a date range (existing ones are kept)."""

    created = graphene.Int(description="How many slots are new.")
    slots = graphene.List(graphene.NonNull(AppointmentSlotType), required=True, description="The range's slots.")

    class Arguments:
        input = AppointmentSlotsOpenInput(required=True)

    class Meta:
        permissions = ("services_desk.add_appointmentslot",)
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(cls, root, info, input):
        outlet = get_node_or_error(
            input["outlet"], queryset=outlets_for_user(info.context.user), expected_type="Outlet", field="outlet"
        )
        service = get_node_or_error(
            input["service"], queryset=Service.objects.all(), expected_type="Service", field="service"
        )
        created, slots = appointment_slots_plan(
            service=service,
            outlet=outlet,
            date_from=input["date_from"],
            date_to=input["date_to"],
            weekdays=set(input.get("weekdays") or []),
            start=input["start"],
            end=input["end"],
            minutes=input["minutes"],
            capacity=input["capacity"],
            user=info.context.user,
        )
        return cls(created=created, slots=slots)

    @classmethod
    def error_payload(cls, errors):
        payload = super().error_payload(errors)
        payload.slots = []
        return payload


class AppointmentSlotUpdate(BaseMutation):
    """Change how many people a slot takes (never below those booked; equal to them closes it)."""

    slot = graphene.Field(AppointmentSlotType)

    class Arguments:
        id = graphene.ID(required=True)
        capacity = graphene.Int(required=True)

    class Meta:
        permissions = ("services_desk.change_appointmentslot",)
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, capacity):
        slot = get_node_or_error(
            id,
            queryset=AppointmentSlot.objects.filter(outlet__in=outlets_for_user(info.context.user)),
            expected_type="AppointmentSlot",
            field="id",
        )
        return cls(slot=appointment_slot_capacity_set(slot=slot, capacity=capacity, user=info.context.user))
