import graphene

from pos.error_codes import PosErrorCode
from pos.services.receipts import receipt_reprint

from ...core.mutations import BaseMutation
from ..lookups import sale_for
from ..types import SaleType


class SalePrintMutation(BaseMutation):
    """Print something of a sale on its terminal's printer: `print_service(sale=, user=)` queues the job."""

    sale = graphene.Field(SaleType)
    print_status = graphene.String(
        description="PENDING until the printer has it; FAILED keeps the job for another try."
    )
    print_service = None

    class Arguments:
        sale = graphene.ID(required=True)

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, root, info, sale):
        sale_obj = sale_for(info, sale)
        job = cls.print_service(sale=sale_obj, user=info.context.user)
        job.refresh_from_db()  # delivered after commit: printed, or failed and kept
        return cls(sale=sale_obj, print_status=job.status.upper())


class PosReceiptReprint(SalePrintMutation):
    """Print the receipt again, marked CETAK ULANG."""

    print_service = staticmethod(receipt_reprint)

    class Meta:
        permissions = ("pos.reprint_receipt",)
        error_type_class = PosErrorCode
