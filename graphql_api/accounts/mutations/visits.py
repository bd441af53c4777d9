import graphene
from django.core.exceptions import PermissionDenied

from accounts.error_codes import AccountErrorCode
from accounts.models import Visit, VisitChannel
from accounts.selectors import outlets_for_user, user_can_act_at_outlet
from accounts.services.customers import customer_get_or_create
from accounts.services.visits import visit_attach_customer, visit_close, visit_open

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..types import VisitType


def _visit_for_staff(info, visit_id):
    visit = get_node_or_error(
        visit_id, queryset=Visit.objects.select_related("outlet"), expected_type="Visit", field="id"
    )
    if not user_can_act_at_outlet(info.context.user, visit.outlet):
        raise PermissionDenied
    return visit


class VisitOpen(BaseMutation):
    """Open a visit for a walk-in at a café."""

    visit = graphene.Field(VisitType)

    class Arguments:
        outlet = graphene.ID(required=True)
        channel = graphene.String(default_value=VisitChannel.POS)

    class Meta:
        permissions = ("accounts.open_visit",)
        error_type_class = AccountErrorCode

    @classmethod
    def perform_mutation(cls, root, info, outlet, channel):
        user = info.context.user
        outlet_obj = get_node_or_error(outlet, queryset=outlets_for_user(user), expected_type="Outlet", field="outlet")
        return cls(visit=visit_open(outlet=outlet_obj, channel=channel, opened_by=user))


class VisitAttachCustomer(BaseMutation):
    """Attach a customer, found or created by phone, to a visit."""

    visit = graphene.Field(VisitType)

    class Arguments:
        id = graphene.ID(required=True)
        phone = graphene.String(required=True)
        name = graphene.String(default_value="")

    class Meta:
        permissions = ("accounts.open_visit", "accounts.view_customer")
        error_type_class = AccountErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, phone, name):
        visit = _visit_for_staff(info, id)
        customer = customer_get_or_create(phone=phone, name=name, source="visit")
        return cls(visit=visit_attach_customer(visit=visit, customer=customer))


class VisitClose(BaseMutation):
    """Close a visit."""

    visit = graphene.Field(VisitType)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permissions = ("accounts.open_visit",)
        error_type_class = AccountErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id):
        return cls(visit=visit_close(visit=_visit_for_staff(info, id)))


__all__ = ["VisitOpen", "VisitAttachCustomer", "VisitClose"]
