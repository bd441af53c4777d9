from pos.error_codes import PosErrorCode
from pos.services.receipts import qris_print

from .receipt_reprint import SalePrintMutation


class PosSaleQrisPrint(SalePrintMutation):
    """Print the QRIS code of a sale waiting for its payment on the terminal's printer (it is not a receipt)."""

    print_service = staticmethod(qris_print)

    class Meta:
        permissions = ("pos.add_sale",)
        error_type_class = PosErrorCode
