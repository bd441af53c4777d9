from core.exceptions import DomainError

from .error_codes import AccountErrorCode


class InvalidPhone(DomainError):
    code = AccountErrorCode.INVALID_PHONE
    field = "phone"


class InvalidNik(DomainError):
    code = AccountErrorCode.INVALID_NIK
    field = "nik"


class VisitClosed(DomainError):
    code = AccountErrorCode.VISIT_CLOSED
    field = "visit"


class OutletInactive(DomainError):
    code = AccountErrorCode.OUTLET_INACTIVE
    field = "outlet"
