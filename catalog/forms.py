"""Forms of the catalogue screens: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .curation import CHECKLIST_ITEMS, OPTIONAL_ITEMS
from .models import AdjustmentReason, Category, PermitType, Vendor


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = [
            "name",
            "nib",
            "kecamatan",
            "desa",
            "street_address",
            "phone",
            "email",
            "story",
            "bank_name",
            "bank_account_number",
            "bank_account_name",
        ]
        widgets = {"story": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["nib"].disabled = True

    def validate_unique(self):
        """Uniqueness is the service's to say (with its own message)."""


class ProductForm(forms.Form):
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.all())
    name = forms.CharField(label=_("name"), max_length=160)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    net_weight = forms.CharField(label=_("net weight"), max_length=40, required=False)
    ingredients = forms.CharField(label=_("ingredients"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    shelf_life_days = forms.IntegerField(label=_("shelf life (days)"), min_value=1, required=False)


class VariantForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("variant"), max_length=80)
    price = forms.IntegerField(label=_("price (Rp)"), min_value=1)
    sku = forms.CharField(label=_("SKU"), max_length=40, required=False)
    barcode = forms.CharField(label=_("barcode (EAN-13)"), max_length=13, required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)


VariantFormSet = forms.formset_factory(VariantForm, extra=1, min_num=1, validate_min=True, max_num=30)


class PermitForm(forms.Form):
    type = forms.ChoiceField(label=_("type"), choices=PermitType.choices)
    number = forms.CharField(label=_("number"), max_length=60)
    issued_on = forms.DateField(
        label=_("issued on"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("expires on"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    scan = forms.FileField(label=_("scan"), required=False)


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("photo"))
    alt = forms.CharField(label=_("description of the photo"), max_length=160, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    allow_price_changes = forms.BooleanField(label=_("price changes need no review"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, label in CHECKLIST_ITEMS.items():
            choices = [("yes", _("Passed")), ("no", _("Failed"))]
            if item in OPTIONAL_ITEMS:
                choices.append(("na", _("Not applicable")))
            self.fields[f"check_{item}"] = forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)
            self.fields[f"note_{item}"] = forms.CharField(label=_("note"), max_length=500, required=False)

    def checklist(self) -> dict:
        values = {"yes": True, "no": False, "na": None}
        return {
            item: {
                "passed": values[self.cleaned_data[f"check_{item}"]],
                "note": self.cleaned_data.get(f"note_{item}", ""),
            }
            for item in CHECKLIST_ITEMS
        }


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DeliveryLineForm(forms.Form):
    variant = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("quantity"), min_value=0, required=False)
    batch_code = forms.CharField(label=_("batch"), max_length=40, required=False)
    expires_on = forms.DateField(
        label=_("best before"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class AdjustForm(forms.Form):
    code = forms.CharField(label=_("Barcode, SKU or internal code"), max_length=40)
    reason = forms.ChoiceField(label=_("reason"), choices=AdjustmentReason.choices)
    counted = forms.IntegerField(label=_("Counted quantity"), required=False, min_value=0)
    delta = forms.IntegerField(label=_("Change (+/-)"), required=False)
    note = forms.CharField(label=_("note"), max_length=255, required=False)


class TransferForm(forms.Form):
    code = forms.CharField(label=_("Barcode, SKU or internal code"), max_length=40)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1)
    note = forms.CharField(label=_("note"), max_length=255, required=False)

    def __init__(self, *args, destinations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"] = forms.ModelChoiceField(label=_("To café"), queryset=destinations)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
