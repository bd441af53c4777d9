"""Open and close a register: the opening float, cash in/out, X and Z reports, the cash count."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_can_act_at_outlet

from ..error_codes import PosErrorCode
from ..exceptions import InvalidAmount, OutletNotAllowed, PosError, ShiftAlreadyOpen, ShiftClosed
from ..models import CashMovement, CashMovementKind, Shift, ShiftReport, ShiftReportKind, ShiftStatus, Terminal
from ..selectors import shift_cash_summary

# Rupiah notes and coins in circulation, largest first.
DENOMINATIONS = (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100)
MAX_AMOUNT = 10**12


def _amount(value, *, field: str, allow_zero: bool = True) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            if isinstance(value, float) or isinstance(value, bool):
                raise ValueError
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise InvalidAmount(_("Enter a whole rupiah amount."), field=field) from None
    if value < 0 or (value == 0 and not allow_zero) or value > MAX_AMOUNT:
        raise InvalidAmount(
            _("Enter an amount above zero.") if not allow_zero else _("The amount cannot be negative."), field=field
        )
    return value


def _require_staff_at(user: User, terminal: Terminal) -> None:
    if not user_can_act_at_outlet(user, terminal.outlet_id):
        raise OutletNotAllowed(_("You are not assigned to this café."))


def _lock_open_shift(shift: Shift) -> Shift:
    shift = Shift.objects.select_for_update().select_related("terminal", "terminal__outlet").get(pk=shift.pk)
    if shift.status != ShiftStatus.OPEN:
        raise ShiftClosed(_("This shift is already closed."))
    return shift


@transaction.atomic
def shift_open(*, terminal: Terminal, cashier: User, opening_cash) -> Shift:
    """Open a shift on a terminal with the opening float; one open shift per terminal."""
    opening_cash = _amount(opening_cash, field="opening_cash")
    _require_staff_at(cashier, terminal)
    terminal = Terminal.objects.select_for_update().select_related("outlet").get(pk=terminal.pk)
    if not terminal.is_active:
        raise PosError(_("This terminal is not active."), code=PosErrorCode.TERMINAL_INACTIVE, field="terminal")
    if Shift.objects.filter(terminal=terminal, status=ShiftStatus.OPEN).exists():
        raise ShiftAlreadyOpen(_("A shift is already open on this terminal. Close it first."))
    try:
        with transaction.atomic():
            return Shift.objects.create(
                terminal=terminal, cashier=cashier, opened_at=timezone.now(), opening_cash=opening_cash
            )
    except IntegrityError:  # the partial unique index caught a parallel open
        raise ShiftAlreadyOpen(_("A shift is already open on this terminal. Close it first.")) from None


@transaction.atomic
def cash_movement_create(*, shift: Shift, kind: str, amount, reason: str, user: User) -> CashMovement:
    """Record cash put into (kas masuk) or taken out of (kas keluar) the drawer, with a reason."""
    if kind not in CashMovementKind.values:
        raise PosError(_("Choose cash in or cash out."), code=PosErrorCode.INVALID, field="kind")
    amount = _amount(amount, field="amount", allow_zero=False)
    reason = (reason or "").strip()
    if not reason:
        raise PosError(_("Give the reason for this cash movement."), code=PosErrorCode.INVALID, field="reason")
    shift = _lock_open_shift(shift)
    _require_staff_at(user, shift.terminal)
    if kind == CashMovementKind.CASH_OUT:
        available = shift_cash_summary(shift=shift)["expected_cash"]
        if amount > available:
            raise PosError(
                _("The drawer should hold only %(amount)s.") % {"amount": f"Rp{available:,}".replace(",", ".")},
                code=PosErrorCode.NOT_ENOUGH_CASH,
                field="amount",
            )
    return CashMovement.objects.create(shift=shift, kind=kind, amount=amount, reason=reason[:200], user=user)


def denominations_total(counts: Mapping) -> int:
    """Add up a cash count given as {denomination: number of notes/coins}."""
    total = 0
    for key, count in (counts or {}).items():
        try:
            value, number = int(key), int(count)
        except (TypeError, ValueError):
            raise InvalidAmount(_("Count each note and coin as a whole number."), field="denominations") from None
        if value not in DENOMINATIONS:
            raise InvalidAmount(_("%(value)s is not a rupiah note or coin.") % {"value": value}, field="denominations")
        if number < 0:
            raise InvalidAmount(_("A count cannot be negative."), field="denominations")
        total += value * number
    return total


def _report_create(*, shift: Shift, kind: str, data: dict, user: User) -> ShiftReport:
    from ..receipts import shift_report_print

    report = ShiftReport.objects.create(shift=shift, kind=kind, data=data, created_by=user)
    report.shift = shift
    report.print_job = shift_report_print(report=report)
    report.save(update_fields=["print_job", "updated_at"])
    return report


@transaction.atomic
def shift_report_x(*, shift: Shift, user: User) -> ShiftReport:
    """Take (store and print) a mid-shift X report; the shift stays open."""
    shift = _lock_open_shift(shift)
    _require_staff_at(user, shift.terminal)
    return _report_create(shift=shift, kind=ShiftReportKind.X, data=shift_cash_summary(shift=shift), user=user)


@transaction.atomic
def shift_close(
    *, shift: Shift, user: User, counted_cash=None, denominations: Mapping | None = None, note: str = ""
) -> ShiftReport:
    """Close the shift with the counted cash; store and print the Z report.

    A difference beyond POS_CASH_DIFFERENCE_THRESHOLD needs an explanation. A shift with a QRIS
    payment still pending cannot close: check or cancel that payment first.
    """
    shift = _lock_open_shift(shift)
    _require_staff_at(user, shift.terminal)
    if denominations:
        counted_from_notes = denominations_total(denominations)
        if counted_cash not in (None, "") and _amount(counted_cash, field="counted_cash") != counted_from_notes:
            raise InvalidAmount(_("The counted cash does not match the notes and coins counted."), field="counted_cash")
        counted = counted_from_notes
    elif counted_cash in (None, ""):
        raise InvalidAmount(_("Enter the cash counted in the drawer."), field="counted_cash")
    else:
        counted = _amount(counted_cash, field="counted_cash")
    summary = shift_cash_summary(shift=shift)
    if summary["pending_payments"]:
        raise PosError(
            _("A QRIS payment of this shift is still pending. Check its status or cancel it before closing."),
            code=PosErrorCode.SHIFT_HAS_PENDING_PAYMENTS,
            field="shift",
        )
    difference = counted - summary["expected_cash"]
    note = (note or "").strip()
    if abs(difference) > settings.POS_CASH_DIFFERENCE_THRESHOLD and not note:
        raise PosError(
            _("The counted cash differs from the expected cash by %(difference)s: explain the difference.")
            % {"difference": f"Rp{difference:,}".replace(",", ".")},
            code=PosErrorCode.EXPLANATION_REQUIRED,
            field="note",
        )
    now = timezone.now()
    shift.status = ShiftStatus.CLOSED
    shift.closed_at = now
    shift.closed_by = user
    shift.expected_cash = summary["expected_cash"]
    shift.counted_cash = counted
    shift.counted_denominations = {str(k): int(v) for k, v in (denominations or {}).items()}
    shift.difference = difference
    shift.difference_note = note
    shift.save()
    data = dict(
        summary,
        counted_cash=counted,
        difference=difference,
        difference_note=note,
        denominations=shift.counted_denominations,
    )
    return _report_create(shift=shift, kind=ShiftReportKind.Z, data=data, user=user)
