"""Refusals of the catalogue domain; each interface shows them with the same code and message."""

from __future__ import annotations

from dataclasses import dataclass

from core.exceptions import DomainError

from .error_codes import CatalogErrorCode


@dataclass(frozen=True)
class Shortage:
    variant_id: int
    product_name: str
    requested: int
    available: int


class InsufficientStock(DomainError):
    """Not enough available units; `shortages` names every line that fell short."""

    code = CatalogErrorCode.INSUFFICIENT_STOCK
    field = "lines"

    def __init__(self, message, *, shortages: list[Shortage] | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.shortages = shortages or []


class ProductNotSellable(DomainError):
    code = CatalogErrorCode.PRODUCT_NOT_SELLABLE
    field = "lines"


class InvalidTransition(DomainError):
    code = CatalogErrorCode.INVALID_TRANSITION
    field = "status"


class ReservationNotActive(DomainError):
    code = CatalogErrorCode.RESERVATION_NOT_ACTIVE
    field = "reservation"


class InvalidImage(DomainError):
    code = CatalogErrorCode.INVALID_IMAGE
    field = "image"
