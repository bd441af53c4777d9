import graphene
from graphene_django.filter import DjangoFilterConnectionField

from accounts.selectors import outlets_active, outlets_for_user, visit_find

from ..core.ids import get_node_or_error
from ..core.node import node_field
from ..core.permissions import require_permissions
from .mutations.token_create import TokenCreate
from .mutations.visits import VisitAttachCustomer, VisitClose, VisitOpen
from .types import OutletType, UserType, VisitType


class AccountQueries(graphene.ObjectType):
    node = node_field()
    me = graphene.Field(UserType, description="The logged-in user, or null.")
    outlets = DjangoFilterConnectionField(OutletType, description="Active cafés of the network.")
    outlet = graphene.Field(OutletType, id=graphene.ID(), slug=graphene.String())
    visit = graphene.Field(
        VisitType,
        code=graphene.String(required=True, description="The visit code or the ticket's QR payload."),
        outlet=graphene.ID(required=True),
        description="A visit at a café today, for staff of that café.",
    )

    def resolve_me(root, info):
        user = info.context.user
        return user if user.is_authenticated else None

    def resolve_outlets(root, info, **kwargs):
        return outlets_active()

    def resolve_outlet(root, info, id=None, slug=None):
        if id:
            return get_node_or_error(id, queryset=outlets_active(), expected_type="Outlet", field="id")
        if slug:
            return outlets_active().filter(slug=slug).first()
        return None

    def resolve_visit(root, info, code, outlet):
        require_permissions(info, ["accounts.view_visit"])
        outlet_obj = get_node_or_error(
            outlet, queryset=outlets_for_user(info.context.user), expected_type="Outlet", field="outlet"
        )
        return visit_find(code_or_qr=code, outlet=outlet_obj)


class AccountMutations(graphene.ObjectType):
    token_create = TokenCreate.Field()
    visit_open = VisitOpen.Field()
    visit_attach_customer = VisitAttachCustomer.Field()
    visit_close = VisitClose.Field()


__all__ = ["AccountQueries", "AccountMutations"]
