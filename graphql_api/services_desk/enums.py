from services_desk.error_codes import ServicesDeskErrorCode
from services_desk.models import PriorityClass, RequestStatus, TicketStatus

from ..core.enums import enum_from_choices

QueueTicketStatusEnum = enum_from_choices(TicketStatus, "QueueTicketStatus")
QueuePriorityEnum = enum_from_choices(PriorityClass, "QueuePriority")
ServiceRequestStatusEnum = enum_from_choices(RequestStatus, "ServiceRequestStatus")
ServicesDeskErrorCodeEnum = enum_from_choices(ServicesDeskErrorCode, "ServicesDeskErrorCode")


def enum_value(value) -> str:
    """Return the plain value of an enum argument (graphene passes enum members)."""
    return str(getattr(value, "value", value))
