"""Refusals of the point-of-sale domain; each interface shows them with the same code and message."""

from core.exceptions import DomainError

from .error_codes import PosErrorCode


class PosError(DomainError):
    code = PosErrorCode.INVALID


class InvalidPrinter(PosError):
    code = PosErrorCode.INVALID_PRINTER
    field = "printer_url"


class ShiftAlreadyOpen(PosError):
    code = PosErrorCode.SHIFT_ALREADY_OPEN
    field = "terminal"


class ShiftClosed(PosError):
    code = PosErrorCode.SHIFT_CLOSED
    field = "shift"


class OutletNotAllowed(PosError):
    code = PosErrorCode.OUTLET_NOT_ALLOWED
    field = "terminal"


class InvalidAmount(PosError):
    code = PosErrorCode.INVALID_AMOUNT
    field = "amount"
