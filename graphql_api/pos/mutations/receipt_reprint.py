import graphene

from pos.error_codes import PosErrorCode
from pos.services.receipts import receipt_reprint

from ...core.mutations import BaseMutation
from ..lookups import sale_for
from ..types import SaleType


class PosReceiptReprint(BaseMutation):
    """Print the receipt again, marked CETAK ULANG."""

    sale = graphene.Field(SaleType)
    print_status = graphene.String(
        description="PENDING until the printer has it; FAILED keeps the job for another try."
    )

    class Arguments:
        sale = graphene.ID(required=True)

    class Meta:
        permissions = ("pos.reprint_receipt",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, sale):
        sale_obj = sale_for(info, sale)
        job = receipt_reprint(sale=sale_obj, user=info.context.user)
        job.refresh_from_db()
        return cls(sale=sale_obj, print_status=job.status.upper())
