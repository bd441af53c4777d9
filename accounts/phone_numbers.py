"""Indonesian phone numbers as people type them (08…, 62…, +62…), stored in E.164."""

import phonenumbers
from django.utils.translation import gettext as _

from .exceptions import InvalidPhone


def phone_normalize(raw: str) -> str:
    """Return the E.164 form of a phone number, or raise InvalidPhone."""
    text = (raw or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise InvalidPhone(_("Enter a phone number, e.g. 0812 3456 7890."))
    if not text.startswith("+") and digits.startswith("62"):
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise InvalidPhone(_("“%(phone)s” is not a phone number.") % {"phone": raw}) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(_("“%(phone)s” is not a valid phone number.") % {"phone": raw})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_looks_like(raw: str) -> bool:
    text = (raw or "").strip().replace(" ", "").replace("-", "")
    return bool(text) and (text.startswith(("+", "0", "62"))) and text.lstrip("+").isdigit()


def phone_display(e164: str) -> str:
    """Return the national form people read, e.g. 0812-3456-7890."""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
