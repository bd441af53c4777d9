import graphene
from django.utils.translation import gettext as _

from core.exceptions import NotFoundError
from pos.error_codes import PosErrorCode
from pos.exceptions import OutletNotAllowed, PosError
from pos.services.sales import PaymentInput, SaleLineInput, sale_complete

from ...core.ids import decode_id
from ...core.mutations import BaseMutation
from ..enums import PosPaymentMethod
from ..types import SaleType


class PosSaleLineInput(graphene.InputObjectType):
    variant_id = graphene.ID(description="The product variant; or give `barcode`.")
    barcode = graphene.String(description="A scanned barcode, SKU or short internal code.")
    quantity = graphene.Int(required=True)
    discount = graphene.Int(default_value=0, description="Whole rupiah off this line (needs pos.give_discount).")
    discount_reason = graphene.String(default_value="")


class PosPaymentInput(graphene.InputObjectType):
    method = PosPaymentMethod(required=True)
    amount = graphene.Int(required=True, description="Whole rupiah this method pays of the total.")
    tendered = graphene.Int(description="Cash handed over (change = tendered − amount).")


class PosSaleCompleteInput(graphene.InputObjectType):
    client_id = graphene.UUID(required=True, description="Chosen by the register; a repeated id returns the same sale.")
    shift = graphene.ID(required=True)
    lines = graphene.List(graphene.NonNull(PosSaleLineInput), required=True)
    payments = graphene.List(graphene.NonNull(PosPaymentInput), required=True)
    visit_code = graphene.String(description="The visit's code or the QR of its queue ticket.")
    offline = graphene.Boolean(default_value=False, description="Rung up while the register was offline.")
    sold_at = graphene.DateTime(description="When an offline sale was rung up.")


def _variant_pk(value) -> int:
    text = str(value)
    if text.isdigit():
        return int(text)
    return decode_id(text, expected_type="ProductVariant", field="lines")


class PosSaleComplete(BaseMutation):
    """Ring up a sale: cash, QRIS or both. Idempotent per clientId."""

    sale = graphene.Field(SaleType)

    class Arguments:
        input = PosSaleCompleteInput(required=True)

    class Meta:
        permissions = ("pos.add_sale",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, input):
        # The service reads and locks the shift; another café's shift is "not found", as in every lookup.
        shift_id = decode_id(input["shift"], expected_type="PosShift", field="shift")
        lines = []
        for line in input.get("lines") or []:
            if not line.get("variant_id") and not (line.get("barcode") or "").strip():
                raise PosError(_("Each line needs a product or a barcode."), code=PosErrorCode.INVALID, field="lines")
            lines.append(
                SaleLineInput(
                    variant_id=_variant_pk(line["variant_id"]) if line.get("variant_id") else None,
                    code=line.get("barcode") or "",
                    quantity=line["quantity"],
                    discount=line.get("discount") or 0,
                    discount_reason=line.get("discount_reason") or "",
                )
            )
        payments = [
            PaymentInput(
                method=getattr(p["method"], "value", p["method"]), amount=p["amount"], tendered=p.get("tendered")
            )
            for p in input.get("payments") or []
        ]
        try:
            sale = sale_complete(
                shift=shift_id,
                lines=lines,
                payments=payments,
                client_id=input["client_id"],
                user=info.context.user,
                visit_code=input.get("visit_code") or "",
                offline=bool(input.get("offline")),
                sold_at=input.get("sold_at"),
            )
        except OutletNotAllowed:
            raise NotFoundError(_("Couldn't resolve id: %(id)s.") % {"id": input["shift"]}, field="shift") from None
        return cls(sale=sale)
