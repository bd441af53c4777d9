"""The base of every domain exception.

Each app defines its own error-code enum (`<app>/error_codes.py`) and raises
subclasses of `DomainError`; each interface (GraphQL, HTML views, management
commands) translates the exception into its own shape with the same code and
the same translated message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A refused operation: what failed (`code`), where (`field`), and why (`message`)."""

    code: str = "invalid"
    field: str | None = None

    def __init__(self, message, *, code: str | None = None, field: str | None = None, params: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            self.code = str(code)
        if field is not None:
            self.field = field
        self.params = params or {}

    def as_errors(self) -> list[dict]:
        return [{"field": self.field, "code": self.code, "message": self.message}]


class DomainErrors(DomainError):
    """Several refusals at once, e.g. one per invalid CSV row or form field."""

    def __init__(self, errors: list[DomainError]):
        self.errors = errors
        first = errors[0] if errors else DomainError("invalid")
        super().__init__(first.message, code=first.code, field=first.field)

    def as_errors(self) -> list[dict]:
        return [e for err in self.errors for e in err.as_errors()]


class PermissionDeniedError(DomainError):
    code = "permission_denied"


class NotFoundError(DomainError):
    code = "not_found"


def domain_error_from_validation(exc: ValidationError, *, code: str = "invalid") -> DomainErrors:
    """Turn Django's ValidationError (from full_clean) into domain errors, one per field message."""
    errors: list[DomainError] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            for err in field_errors:
                message = " ".join(err.messages)
                errors.append(DomainError(message, code=err.code or code, field=None if field == "__all__" else field))
    else:
        for err in exc.error_list:
            errors.append(DomainError(" ".join(err.messages), code=err.code or code))
    return DomainErrors(errors)
