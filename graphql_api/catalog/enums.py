"""Catalogue enums, built from the domain's choices."""

import graphene

from catalog.error_codes import CatalogErrorCode
from catalog.models import AdjustmentReason, PermitType, ProductStatus

from ..core.enums import enum_from_choices

ProductStatusEnum = enum_from_choices(ProductStatus, "ProductStatus")
PermitTypeEnum = enum_from_choices(PermitType, "PermitType")
AdjustmentReasonEnum = enum_from_choices(AdjustmentReason, "StockAdjustmentReason")
CatalogErrorCodeEnum = enum_from_choices(CatalogErrorCode, "CatalogErrorCode")


class ProductReviewDecision(graphene.Enum):
    APPROVE = "approve"
    REJECT = "reject"


class ProductSortField(graphene.Enum):
    NAME = "name"
    PRICE = "price"
    NEWEST = "newest"
    RANK = "rank"


class ProductOrderDirection(graphene.Enum):
    ASC = "asc"
    DESC = "desc"
