"""productImageUpload: a photo for a product of the caller's UMKM, sent as base64 in the JSON body."""

import base64
import binascii

import graphene
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from catalog.error_codes import CatalogErrorCode
from catalog.exceptions import InvalidImage
from catalog.selectors import products_for_owner
from catalog.services.images import product_image_add

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..types import ProductImageType, ProductType


class ProductImageUpload(BaseMutation):
    """Add a photo (JPEG, PNG or WebP, base64; a `data:` URL prefix is accepted)."""

    product = graphene.Field(ProductType)
    image = graphene.Field(ProductImageType)

    class Arguments:
        product = graphene.ID(required=True)
        filename = graphene.String(required=True, description="With its extension, e.g. keripik.jpg.")
        data = graphene.String(required=True, description="The file's bytes, base64-encoded.")
        alt = graphene.String(default_value="")

    class Meta:
        permissions = ("catalog.change_product",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, product, filename, data, alt):
        product_obj = get_node_or_error(
            product, queryset=products_for_owner(info.context.user), expected_type="Product", field="product"
        )
        if data.startswith("data:") and "," in data:
            data = data.split(",", 1)[1]
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidImage(_("This file is not a readable photo (damaged or not an image).")) from None
        image = product_image_add(
            product=product_obj, upload=ContentFile(raw, name=filename), alt=alt, user=info.context.user
        )
        return cls(product=product_obj, image=image)


__all__ = ["ProductImageUpload"]
