"""NIK (Nomor Induk Kependudukan): validation, masking and the keyed hash used to find it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.id import nik as stdnum_nik

from core.pii import pii_hash

from .exceptions import InvalidNik


@dataclass(frozen=True)
class NikInfo:
    number: str
    region_code: str  # PPRRSS, place of residence at issue
    birth_date: datetime.date
    is_female: bool


def nik_validate(raw: str) -> NikInfo:
    """Return the parsed NIK or raise InvalidNik with a clear reason."""
    number = stdnum_nik.compact(raw or "")
    try:
        stdnum_nik.validate(number)
        birth = stdnum_nik.get_birth_date(number)
    except InvalidLength:
        raise InvalidNik(_("A NIK has exactly 16 digits.")) from None
    except InvalidFormat:
        raise InvalidNik(_("A NIK contains digits only.")) from None
    except InvalidComponent:
        raise InvalidNik(_("This NIK has an unknown region or an impossible birth date.")) from None
    except ValidationError:
        raise InvalidNik(_("This is not a valid NIK.")) from None
    if number[12:] == "0000":
        raise InvalidNik(_("This is not a valid NIK."))
    today = datetime.date.today()
    if birth > today:
        # Two-digit years: a "future" date means the previous century.
        birth = birth.replace(year=birth.year - 100)
    return NikInfo(number=number, region_code=number[:6], birth_date=birth, is_female=int(number[6:8]) > 40)


def nik_mask(number: str) -> str:
    """Return the NIK as shown on screens: `3503********0001`."""
    return f"{number[:4]}{'*' * 8}{number[12:]}"


def nik_hash(number: str) -> str:
    return pii_hash("nik:" + number)
