import graphene

from pos.error_codes import PosErrorCode
from pos.models import CashMovementKind, PaymentMethod, SaleStatus, ShiftStatus

from ..core.enums import enum_from_choices

PosErrorCodeEnum = enum_from_choices(PosErrorCode, "PosErrorCode")
PosPaymentMethod = enum_from_choices(PaymentMethod, "PosPaymentMethod")
PosSaleStatus = enum_from_choices(SaleStatus, "PosSaleStatus")
PosShiftStatus = enum_from_choices(ShiftStatus, "PosShiftStatus")
PosCashMovementKind = graphene.Enum(
    "PosCashMovementKind", [("IN", CashMovementKind.CASH_IN.value), ("OUT", CashMovementKind.CASH_OUT.value)]
)
