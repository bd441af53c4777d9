import graphene

from pos.error_codes import PosErrorCode
from pos.services.sales import sale_payment_cancel, sale_payment_check

from ...core.mutations import BaseMutation
from ..lookups import sale_for
from ..types import SaleType


class PosSalePaymentCheck(BaseMutation):
    """Ask Midtrans now whether the sale's QRIS payment is paid (Cek Status) and apply the answer."""

    sale = graphene.Field(SaleType)

    class Arguments:
        sale = graphene.ID(required=True)

    class Meta:
        permissions = ("pos.add_sale",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, sale):
        return cls(sale=sale_payment_check(sale=sale_for(info, sale), user=info.context.user))


class PosSalePaymentCancel(BaseMutation):
    """Cancel an unpaid QRIS payment; the sale is cancelled and its stock released (a paid one completes instead)."""

    sale = graphene.Field(SaleType)

    class Arguments:
        sale = graphene.ID(required=True)

    class Meta:
        permissions = ("pos.add_sale",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, sale):
        return cls(sale=sale_payment_cancel(sale=sale_for(info, sale), user=info.context.user))
