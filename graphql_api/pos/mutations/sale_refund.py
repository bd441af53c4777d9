import graphene

from pos.error_codes import PosErrorCode
from pos.services.refunds import RefundLineInput, sale_refund

from ...core.ids import decode_id
from ...core.mutations import BaseMutation
from ..lookups import sale_for, shift_for
from ..types import RefundType, SaleType


class PosRefundLineInput(graphene.InputObjectType):
    line = graphene.ID(required=True, description="A line of the original receipt (PosSaleLine).")
    quantity = graphene.Int(required=True)


class PosSaleRefund(BaseMutation):
    """Return goods against the original receipt (all that is left when no lines are given), with a reason."""

    refund = graphene.Field(RefundType)
    sale = graphene.Field(SaleType)

    class Arguments:
        sale = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(PosRefundLineInput))
        reason = graphene.String(required=True)
        shift = graphene.ID(description="The open shift whose drawer pays a cash refund (default: yours at this café).")

    class Meta:
        permissions = ("pos.add_refund",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, sale, reason, lines=None, shift=None):
        sale_obj = sale_for(info, sale)
        items = None
        if lines is not None:
            items = [
                RefundLineInput(
                    sale_line_id=decode_id(item["line"], expected_type="PosSaleLine", field="lines"),
                    quantity=item["quantity"],
                )
                for item in lines
            ]
        shift_obj = shift_for(info, shift) if shift else None
        refund = sale_refund(sale=sale_obj, user=info.context.user, reason=reason, lines=items, shift=shift_obj)
        sale_obj.refresh_from_db()
        return cls(refund=refund, sale=sale_obj)
