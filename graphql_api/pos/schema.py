import graphene

from pos.selectors import sales_for_user, terminals_for_user

from ..core.permissions import require_permissions
from .lookups import shift_for
from .mutations.qris_print import PosSaleQrisPrint
from .mutations.receipt_reprint import PosReceiptReprint
from .mutations.sale_complete import PosSaleComplete
from .mutations.sale_payment import PosSalePaymentCancel, PosSalePaymentCheck
from .mutations.sale_refund import PosSaleRefund
from .mutations.shifts import PosCashMovement, PosShiftClose, PosShiftOpen, PosShiftReportX
from .mutations.terminals import PosTerminalCreate, PosTerminalUpdate
from .types import SaleType, ShiftType, TerminalType


class PosQueries(graphene.ObjectType):
    pos_terminals = graphene.List(graphene.NonNull(TerminalType), required=True, description="Terminals of your cafés.")
    pos_shift = graphene.Field(ShiftType, id=graphene.ID(required=True), description="A shift of one of your cafés.")
    pos_sales = graphene.relay.ConnectionField(
        SaleType._meta.connection, shift=graphene.ID(required=True), description="The sales of a shift, newest first."
    )

    def resolve_pos_terminals(root, info):
        require_permissions(info, ["pos.view_terminal"])
        return terminals_for_user(info.context.user).order_by("outlet__name", "name")

    def resolve_pos_shift(root, info, id):
        require_permissions(info, ["pos.view_shift"])
        return shift_for(info, id, field="id")

    def resolve_pos_sales(root, info, shift, **kwargs):
        require_permissions(info, ["pos.view_sale"])
        shift_obj = shift_for(info, shift)
        return (
            sales_for_user(info.context.user)
            .filter(shift=shift_obj)
            .prefetch_related("lines", "payments")
            .order_by("-sold_at", "-pk")
        )


class PosMutations(graphene.ObjectType):
    pos_terminal_create = PosTerminalCreate.Field()
    pos_terminal_update = PosTerminalUpdate.Field()
    pos_shift_open = PosShiftOpen.Field()
    pos_cash_movement = PosCashMovement.Field()
    pos_shift_report_x = PosShiftReportX.Field()
    pos_shift_close = PosShiftClose.Field()
    pos_sale_complete = PosSaleComplete.Field()
    pos_sale_payment_check = PosSalePaymentCheck.Field()
    pos_sale_payment_cancel = PosSalePaymentCancel.Field()
    pos_sale_qris_print = PosSaleQrisPrint.Field()
    pos_sale_refund = PosSaleRefund.Field()
    pos_receipt_reprint = PosReceiptReprint.Field()


__all__ = ["PosQueries", "PosMutations"]
