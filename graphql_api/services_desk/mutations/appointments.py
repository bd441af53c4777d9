import graphene

from services_desk.error_codes import ServicesDeskErrorCode
from services_desk.models import AppointmentSlot
from services_desk.services.appointments import appointment_book

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..types import AppointmentType


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
