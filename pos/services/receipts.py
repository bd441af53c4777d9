"""Print a receipt again (marked CETAK ULANG), or the QRIS code of a sale waiting for its payment."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_can_act_at_outlet
from core.models import PrintJob

from ..error_codes import PosErrorCode
from ..exceptions import OutletNotAllowed, PosError
from ..models import Sale, SaleStatus
from ..receipts import sale_qris_print, sale_receipt_print
from ..selectors import sale_with_details


@transaction.atomic
def receipt_reprint(*, sale: Sale, user: User) -> PrintJob:
    """Queue the receipt again for the terminal's printer, marked as a reprint so it cannot pass for an original."""
    if not user_can_act_at_outlet(user, sale.outlet_id):
        raise OutletNotAllowed(_("You are not assigned to this café."), field="sale")
    sale = sale_with_details(sale_id=sale.pk)
    if sale.status != SaleStatus.COMPLETED:
        raise PosError(_("Only a completed sale has a receipt."), code=PosErrorCode.SALE_NOT_COMPLETED, field="sale")
    return sale_receipt_print(sale=sale, reprint=True)


@transaction.atomic
def qris_print(*, sale: Sale, user: User) -> PrintJob:
    """Print the QRIS code of a sale awaiting payment on the terminal's printer (not a receipt)."""
    from .sales import sale_qris_payment

    if not user_can_act_at_outlet(user, sale.outlet_id):
        raise OutletNotAllowed(_("You are not assigned to this café."), field="sale")
    sale = Sale.objects.select_related("terminal", "terminal__outlet").get(pk=sale.pk)
    payment = sale_qris_payment(sale) if sale.status == SaleStatus.AWAITING_PAYMENT else None
    if payment is None or not payment.qr_string:
        raise PosError(
            _("This sale is not waiting for a QRIS payment."), code=PosErrorCode.NOT_AWAITING_PAYMENT, field="sale"
        )
    return sale_qris_print(sale=sale, qr_string=payment.qr_string, expires_at=payment.expires_at)
