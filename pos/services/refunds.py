"""Returns against a receipt: full or partial, with a reason; stock back, money back the way it came."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_can_act_at_outlet

from ..error_codes import PosErrorCode
from ..exceptions import OutletNotAllowed, PosError
from ..models import Refund, RefundLine, Sale, SaleLine, SaleStatus, Shift, ShiftStatus
from ..selectors import shift_cash_summary


@dataclass(frozen=True)
class RefundLineInput:
    sale_line_id: int
    quantity: int


def _refund_shift(*, sale: Sale, user: User, shift: Shift | None) -> Shift | None:
    """The open shift whose drawer pays a cash refund: the one given, the user's at this café, or the sale's."""
    if shift is not None:
        shift = Shift.objects.select_for_update().select_related("terminal").get(pk=shift.pk)
        if shift.status != ShiftStatus.OPEN or shift.terminal.outlet_id != sale.outlet_id:
            raise PosError(
                _("Refund from an open shift of the café of the sale."), code=PosErrorCode.SHIFT_CLOSED, field="shift"
            )
        return shift
    candidates = Shift.objects.filter(status=ShiftStatus.OPEN, terminal__outlet_id=sale.outlet_id).select_related(
        "terminal"
    )
    return candidates.filter(cashier=user).order_by("-opened_at").first() or candidates.filter(pk=sale.shift_id).first()


@transaction.atomic
def sale_refund(
    *, sale: Sale, user: User, reason: str, lines: list[RefundLineInput] | None = None, shift: Shift | None = None
) -> Refund:
    """Return goods of a completed sale (all that is left when `lines` is None).

    The refund goes back the way the sale was paid: QRIS first (through the Midtrans refund, up to
    what QRIS paid), the rest in cash out of the drawer of an open shift at the café.
    """
    from catalog.services.stock import StockLine, stock_return_sale

    reason = (reason or "").strip()
    if not reason:
        raise PosError(_("Give the reason for the refund."), code=PosErrorCode.INVALID, field="reason")
    if not user_can_act_at_outlet(user, sale.outlet_id):
        raise OutletNotAllowed(_("You are not assigned to this café."), field="sale")
    sale = Sale.objects.select_for_update().select_related("outlet", "terminal").get(pk=sale.pk)
    if sale.status != SaleStatus.COMPLETED:
        raise PosError(_("Only a completed sale can be refunded."), code=PosErrorCode.SALE_NOT_COMPLETED, field="sale")
    sale_lines = {line.pk: line for line in SaleLine.objects.select_for_update().filter(sale=sale).order_by("pk")}
    if lines is None:
        wanted = {
            pk: line.quantity - line.refunded_quantity
            for pk, line in sale_lines.items()
            if line.quantity > line.refunded_quantity
        }
    else:
        wanted = {}
        for item in lines:
            try:
                pk, quantity = int(item.sale_line_id), int(item.quantity)
            except (TypeError, ValueError):
                raise PosError(
                    _("Each returned line needs a whole quantity."), code=PosErrorCode.INVALID, field="lines"
                ) from None
            if pk not in sale_lines:
                raise PosError(_("This line is not on the receipt."), code=PosErrorCode.NOT_FOUND, field="lines")
            if quantity <= 0:
                raise PosError(
                    _("Each returned quantity must be at least 1."), code=PosErrorCode.INVALID, field="lines"
                )
            wanted[pk] = wanted.get(pk, 0) + quantity
    if not wanted:
        raise PosError(
            _("Nothing is left to refund on this receipt."), code=PosErrorCode.REFUND_EXCEEDS_SALE, field="lines"
        )
    for pk, quantity in wanted.items():
        line = sale_lines[pk]
        if quantity > line.quantity - line.refunded_quantity:
            raise PosError(
                _("Only %(left)s of %(product)s can still be returned.")
                % {"left": line.quantity - line.refunded_quantity, "product": line.product_name},
                code=PosErrorCode.REFUND_EXCEEDS_SALE,
                field="lines",
            )
    already = dict(
        RefundLine.objects.filter(sale_line_id__in=list(wanted))
        .values("sale_line_id")
        .annotate(s=Sum("amount"))
        .values_list("sale_line_id", "s")
    )
    amounts = {}
    for pk, quantity in wanted.items():
        line = sale_lines[pk]
        if line.refunded_quantity + quantity == line.quantity:
            amounts[pk] = line.line_total - (
                already.get(pk) or 0
            )  # the last units take what is left: no rounding drift
        else:
            amounts[pk] = line.line_total * quantity // line.quantity
    total = sum(amounts.values())
    refunded_before = Refund.objects.filter(sale=sale).aggregate(q=Sum("qris_amount"))
    qris_left = sale.qris_amount - (refunded_before["q"] or 0)
    qris_part = min(total, max(qris_left, 0))
    cash_part = total - qris_part

    drawer = _refund_shift(sale=sale, user=user, shift=shift)
    if cash_part and drawer is None:
        raise PosError(
            _("Open a shift at this café to pay a cash refund."), code=PosErrorCode.SHIFT_CLOSED, field="shift"
        )
    if drawer is None:
        drawer = sale.shift
    if cash_part and cash_part > shift_cash_summary(shift=drawer)["expected_cash"]:
        raise PosError(
            _("The drawer does not hold enough cash for this refund."), code=PosErrorCode.NOT_ENOUGH_CASH, field="lines"
        )

    count = Refund.objects.filter(sale=sale).count()
    refund = Refund.objects.create(
        sale=sale,
        shift=drawer,
        number=f"{sale.number}-R{count + 1}",
        reason=reason[:300],
        user=user,
        total=total,
        cash_amount=cash_part,
        qris_amount=qris_part,
    )
    RefundLine.objects.bulk_create(
        [
            RefundLine(refund=refund, sale_line=sale_lines[pk], quantity=quantity, amount=amounts[pk])
            for pk, quantity in wanted.items()
        ]
    )
    for pk, quantity in wanted.items():
        sale_lines[pk].refunded_quantity += quantity
    SaleLine.objects.bulk_update([sale_lines[pk] for pk in wanted], ["refunded_quantity"])
    sale.refunded_total += total
    sale.save(update_fields=["refunded_total", "updated_at"])

    merged: dict[int, list] = {}
    for pk, quantity in wanted.items():
        line = sale_lines[pk]
        row = merged.setdefault(line.variant_id, [0, line.unit_price, line.commission_rate_bp])
        row[0] += quantity
    stock_return_sale(
        outlet=sale.outlet,
        lines=[
            StockLine(variant_id=v, quantity=q, unit_price=p, commission_rate_bp=r) for v, (q, p, r) in merged.items()
        ],
        reference=refund.number,
        user=user,
    )
    if qris_part:
        _qris_refund(sale=sale, amount=qris_part, reason=reason)
    return refund


def _qris_refund(*, sale: Sale, amount: int, reason: str) -> None:
    from commerce.payments.exceptions import PaymentError
    from commerce.payments.services import payment_refund

    from .sales import sale_qris_payment

    payment = sale_qris_payment(sale)
    if payment is None:
        raise PosError(_("The QRIS payment of this sale was not found."), code=PosErrorCode.GATEWAY_ERROR, field="sale")
    try:
        payment_refund(payment=payment, amount=amount, reason=reason[:200])
    except PaymentError as exc:
        raise PosError(
            _("The QRIS refund failed (%(error)s). Nothing was refunded; try again.") % {"error": exc.message},
            code=PosErrorCode.GATEWAY_ERROR,
            field="sale",
        ) from None
