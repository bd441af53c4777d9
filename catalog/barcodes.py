"""Product codes: EAN-13 barcodes (validated with python-stdnum) and short internal codes for the till."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean

# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B): cashiers type these by hand when a scanner misreads.
INTERNAL_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
INTERNAL_CODE_LENGTH = 6


def ean13_validator(value: str) -> None:
    """Refuse anything but 13 digits with a correct EAN check digit (blank is allowed by the field)."""
    if not value:
        return
    if len(value) != 13 or not value.isdigit() or not ean.is_valid(value):
        raise ValidationError(
            _("Enter a valid EAN-13 barcode (13 digits, correct check digit)."), code="invalid_barcode"
        )


def ean13_complete(first12: str) -> str:
    """Return the full EAN-13 for its first 12 digits."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError("EAN-13 needs 12 digits before the check digit")
    return first12 + ean.calc_check_digit(first12)


def internal_code_generate() -> str:
    """Draw a short code such as `GK7QPM` (the caller retries on the rare collision)."""
    return "".join(secrets.choice(INTERNAL_CODE_ALPHABET) for _ in range(INTERNAL_CODE_LENGTH))
