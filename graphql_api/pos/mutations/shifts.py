import graphene

from pos.error_codes import PosErrorCode
from pos.services.shifts import cash_movement_create, shift_close, shift_open, shift_report_x

from ...core.mutations import BaseMutation
from ..enums import PosCashMovementKind
from ..lookups import shift_for, terminal_for
from ..types import CashMovementType, ShiftReportType, ShiftType


class PosShiftOpen(BaseMutation):
    """Open a shift on a terminal with the opening cash float (Buka Kasir)."""

    shift = graphene.Field(ShiftType)

    class Arguments:
        terminal = graphene.ID(required=True)
        opening_cash = graphene.Int(required=True, description="Whole rupiah in the drawer at the start.")

    class Meta:
        permissions = ("pos.add_shift",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, terminal, opening_cash):
        terminal_obj = terminal_for(info, terminal)
        return cls(shift=shift_open(terminal=terminal_obj, cashier=info.context.user, opening_cash=opening_cash))


class PosCashMovement(BaseMutation):
    """Put cash into (Kas Masuk) or take it out of (Kas Keluar) the drawer of an open shift."""

    cash_movement = graphene.Field(CashMovementType)
    shift = graphene.Field(ShiftType)

    class Arguments:
        shift = graphene.ID(required=True)
        kind = PosCashMovementKind(required=True)
        amount = graphene.Int(required=True)
        reason = graphene.String(required=True)

    class Meta:
        permissions = ("pos.add_cashmovement",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, shift, kind, amount, reason):
        shift_obj = shift_for(info, shift)
        kind_value = getattr(kind, "value", kind)
        movement = cash_movement_create(
            shift=shift_obj, kind=kind_value, amount=amount, reason=reason, user=info.context.user
        )
        return cls(cash_movement=movement, shift=movement.shift)


class PosShiftClose(BaseMutation):
    """Close a shift with the counted cash (Tutup Kasir); stores and prints the Z report."""

    shift = graphene.Field(ShiftType)
    report = graphene.Field(ShiftReportType)

    class Arguments:
        shift = graphene.ID(required=True)
        counted_cash = graphene.Int(description="Whole rupiah counted in the drawer.")
        denominations = graphene.JSONString(description='The count per note and coin, e.g. {"100000": 3, "500": 4}.')
        note = graphene.String(description="Explanation of a difference above the threshold.")

    class Meta:
        permissions = ("pos.change_shift",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, shift, counted_cash=None, denominations=None, note=""):
        shift_obj = shift_for(info, shift)
        report = shift_close(
            shift=shift_obj,
            user=info.context.user,
            counted_cash=counted_cash,
            denominations=denominations or None,
            note=note or "",
        )
        return cls(shift=report.shift, report=report)


class PosShiftReportX(BaseMutation):
    """Take a mid-shift X report: stored and printed; the shift stays open."""

    report = graphene.Field(ShiftReportType)

    class Arguments:
        shift = graphene.ID(required=True)

    class Meta:
        permissions = ("pos.view_shift_report",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, shift):
        return cls(report=shift_report_x(shift=shift_for(info, shift), user=info.context.user))
