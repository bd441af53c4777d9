"""Reserve products for the visit from the kiosk, for pickup at the cashier."""

import graphene
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from accounts.selectors import outlets_for_user, visit_find
from core.exceptions import DomainError, NotFoundError
from services_desk.error_codes import ServicesDeskErrorCode
from services_desk.services.reservations import ReserveLine, visit_reserve_products

from ...accounts.types import VisitType
from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..types import ReservationSummary


class ReserveLineInput(graphene.InputObjectType):
    variant = graphene.ID(required=True, description="The product variant (global id or number).")
    quantity = graphene.Int(required=True)


def variant_pk(raw: str) -> int:
    text = str(raw).strip()
    if text.isdigit():
        return int(text)
    try:
        type_name, pk = from_global_id(text)
        if type_name in ("ProductVariant", "Variant"):
            return int(pk)
    except Exception:  # noqa: S110 - any undecodable id is "not found" below
        pass
    raise NotFoundError(_("Couldn't resolve id: %(id)s.") % {"id": raw}, field="lines")


def visit_for_staff(user, visit_code: str, outlet_id: str | None):
    """Find today's visit by code at the given café, or at the one café where this user works."""
    if outlet_id:
        outlets = [
            get_node_or_error(outlet_id, queryset=outlets_for_user(user), expected_type="Outlet", field="outlet")
        ]
    else:
        outlets = list(outlets_for_user(user).filter(is_active=True)[:2]) if user.restricted_to_outlets else []
        if len(outlets) != 1:
            raise DomainError(_("Choose the café."), code=ServicesDeskErrorCode.INVALID, field="outlet")
    visit = visit_find(code_or_qr=visit_code, outlet=outlets[0])
    if visit is None:
        raise NotFoundError(_("Visit not found."), field="visitCode")
    return visit


class VisitReserveProducts(BaseMutation):
    """Reserve UMKM products for the visit; the cashier scanning the ticket's QR gets them."""

    visit = graphene.Field(VisitType)
    reservation = graphene.Field(ReservationSummary)

    class Arguments:
        visit_code = graphene.String(required=True, description="The visit code or the ticket's QR payload.")
        lines = graphene.List(graphene.NonNull(ReserveLineInput), required=True)
        outlet = graphene.ID(description="The café; may be left out by staff bound to one café.")

    class Meta:
        permissions = ("services_desk.use_kiosk",)
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(cls, root, info, visit_code, lines, outlet=None):
        visit = visit_for_staff(info.context.user, visit_code, outlet)
        reservation = visit_reserve_products(
            visit=visit,
            lines=[ReserveLine(variant_id=variant_pk(line.variant), quantity=line.quantity) for line in lines],
        )
        return cls(visit=visit, reservation=ReservationSummary.of(reservation))
