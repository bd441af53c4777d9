from django.db import models


class AccountErrorCode(models.TextChoices):
    INVALID = "invalid"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    INVALID_PHONE = "invalid_phone"
    INVALID_NIK = "invalid_nik"
    INVALID_REGION_CODE = "invalid_region_code"
    DUPLICATE = "duplicate"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    OUTLET_INACTIVE = "outlet_inactive"
    VISIT_CLOSED = "visit_closed"
    CONSENT_REQUIRED = "consent_required"
