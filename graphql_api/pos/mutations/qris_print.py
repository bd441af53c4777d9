import graphene

from pos.error_codes import PosErrorCode
from pos.services.receipts import qris_print

from ...core.mutations import BaseMutation
from ..lookups import sale_for
from ..types import SaleType


class PosSaleQrisPrint(BaseMutation):
    """Print the QRIS code of a sale waiting for its payment on the terminal's printer (it is not a receipt)."""

    sale = graphene.Field(SaleType)
    print_status = graphene.String(
        description="PENDING until the printer has it; FAILED keeps the job for another try."
    )

    class Arguments:
        sale = graphene.ID(required=True)

    class Meta:
        permissions = ("pos.add_sale",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, sale):
        sale_obj = sale_for(info, sale)
        job = qris_print(sale=sale_obj, user=info.context.user)
        job.refresh_from_db()
        return cls(sale=sale_obj, print_status=job.status.upper())
