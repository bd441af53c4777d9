"""Template filters used on every screen: rupiah, WIB dates and times, masked NIK."""

from django import template
from django.utils import timezone

from core.money import format_rupiah
from core.money import terbilang as spell_amount

register = template.Library()


@register.filter
def rupiah(value):
    """Render an integer amount as `Rp15.000`."""
    if value in (None, ""):
        return ""
    return format_rupiah(int(value))


@register.filter
def terbilang(value):
    if value in (None, ""):
        return ""
    return spell_amount(int(value)).capitalize() + " rupiah"


@register.filter
def tanggal(value):
    """Render a date or datetime as `dd/mm/yyyy` in WIB."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@register.filter
def jam(value):
    """Render a time as `08.00` in WIB."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "date"):
        value = timezone.localtime(value)
    return value.strftime("%H.%M")


@register.filter
def tanggal_jam(value):
    """Render a datetime as `dd/mm/yyyy 08.00 WIB`."""
    if not value:
        return ""
    value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y %H.%M") + " WIB"
