"""vendorCreate, vendorUpdate: a UMKM owner registers and keeps their business details."""

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from catalog.error_codes import CatalogErrorCode
from catalog.selectors import vendors_for_user
from catalog.services.vendors import vendor_create, vendor_update
from core.exceptions import DomainError

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..types import VendorType


class VendorInput(graphene.InputObjectType):
    name = graphene.String()
    nib = graphene.String(description="Nomor Induk Berusaha: 13 digits. Set once, at registration.")
    kecamatan = graphene.String()
    story = graphene.String()
    street_address = graphene.String()
    desa = graphene.String()
    phone = graphene.String()
    email = graphene.String()
    bank_name = graphene.String()
    bank_account_number = graphene.String()
    bank_account_name = graphene.String()
    commission_rate_bp = graphene.Int(description="Regency admin only.")
    is_active = graphene.Boolean(description="Regency admin only.")


def _admin_only_fields(info, data):
    if ("commission_rate_bp" in data or "is_active" in data) and not info.context.user.has_perm(
        "catalog.manage_all_vendors"
    ):
        raise PermissionDenied


class VendorCreate(BaseMutation):
    """Register a UMKM business owned by the caller."""

    vendor = graphene.Field(VendorType)

    class Arguments:
        input = VendorInput(required=True)

    class Meta:
        permissions = ("catalog.add_vendor",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, input):
        data = dict(input)
        _admin_only_fields(info, data)
        data.pop("is_active", None)
        vendor = vendor_create(
            owner=info.context.user,
            name=data.pop("name", "") or "",
            nib=data.pop("nib", "") or "",
            kecamatan=data.pop("kecamatan", "") or "",
            **{k: v for k, v in data.items() if v is not None},
        )
        return cls(vendor=vendor)


class VendorUpdate(BaseMutation):
    """Change a UMKM's details (its owner; the regency admin also commission and activation)."""

    vendor = graphene.Field(VendorType)

    class Arguments:
        id = graphene.ID(required=True)
        input = VendorInput(required=True)

    class Meta:
        permissions = ("catalog.change_vendor",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, input):
        vendor = get_node_or_error(id, queryset=vendors_for_user(info.context.user), expected_type="Vendor", field="id")
        data = dict(input)
        _admin_only_fields(info, data)
        if "nib" in data and data["nib"] != vendor.nib:
            raise DomainError(_("These details cannot be changed here."), code=CatalogErrorCode.INVALID, field="nib")
        data.pop("nib", None)
        return cls(vendor=vendor_update(vendor=vendor, **data))


__all__ = ["VendorCreate", "VendorUpdate"]
