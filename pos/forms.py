"""Forms of the back-office screens of the register."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CashMovementKind, PaperWidth
from .services.shifts import DENOMINATIONS


class TerminalForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    code = forms.CharField(label=_("Short code"), max_length=6, help_text=_("Part of every receipt number, e.g. K1."))
    printer_url = forms.CharField(
        label=_("Receipt printer"),
        max_length=200,
        required=False,
        help_text=_("tcp://host:9100, file:/dev/usb/lp0, usb://04b8:0202 or dummy:. Empty: the default printer."),
    )
    paper_width = forms.TypedChoiceField(label=_("Paper width"), choices=PaperWidth.choices, coerce=int, initial=80)
    allow_negative_stock = forms.BooleanField(label=_("Allow selling without stock (flagged)"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class ShiftOpenForm(forms.Form):
    opening_cash = forms.IntegerField(label=_("Opening float (Rp)"), min_value=0)


class CashMovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CashMovementKind.choices)
    amount = forms.IntegerField(label=_("Amount (Rp)"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ShiftCloseForm(forms.Form):
    note = forms.CharField(
        label=_("Explanation of a difference"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value in DENOMINATIONS:
            self.fields[f"d{value}"] = forms.IntegerField(
                label=f"Rp{value:,}".replace(",", "."),
                min_value=0,
                required=False,
                initial=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "denomination", "data-value": value}),
            )

    def denominations(self) -> dict:
        return {str(v): self.cleaned_data.get(f"d{v}") or 0 for v in DENOMINATIONS if self.cleaned_data.get(f"d{v}")}

    def denomination_fields(self):
        return [self[f"d{v}"] for v in DENOMINATIONS]


class RefundForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, sale_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sale_lines = list(sale_lines)
        for line in self.sale_lines:
            left = line.quantity - line.refunded_quantity
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=line.product_name,
                min_value=0,
                max_value=left,
                required=False,
                initial=0,
                help_text=_("%(left)s can be returned") % {"left": left},
            )

    def line_fields(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.sale_lines]
