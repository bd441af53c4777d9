"""Consignment deliveries: the UMKM records what it brings, the café confirms what arrived."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..error_codes import CatalogErrorCode
from ..models import DeliveryStatus, ProductStatus, ProductVariant, StockDelivery, StockDeliveryLine, Vendor
from .stock import stock_receive_lines


@dataclass(frozen=True)
class DeliveryLineInput:
    variant_id: int
    quantity: int
    batch_code: str = ""
    expires_on: datetime.date | None = None


def _delivery_number() -> str:
    return f"SJ-{timezone.localtime():%y%m%d}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def stock_delivery_create(
    *, vendor: Vendor, outlet, lines: list[DeliveryLineInput], user=None, note: str = ""
) -> StockDelivery:
    """Record goods a UMKM brings to a café on consignment; stock changes only when the café confirms receipt."""
    if not lines:
        raise DomainError(_("Add at least one line."), code=CatalogErrorCode.INVALID_QUANTITY, field="lines")
    if not vendor.is_active:
        raise DomainError(_("This UMKM is not active."), code=CatalogErrorCode.INVALID, field="vendor")
    if not outlet.is_active or not outlet.offers_sales:
        raise DomainError(_("This café does not sell UMKM products."), code=CatalogErrorCode.INVALID, field="outlet")
    ids = {int(line.variant_id) for line in lines}
    variants = ProductVariant.objects.select_related("product").in_bulk(list(ids))
    today = timezone.localdate()
    for line in lines:
        variant = variants.get(int(line.variant_id))
        if variant is None or variant.product.vendor_id != vendor.pk:
            raise DomainError(
                _("This product is not one of this UMKM's."), code=CatalogErrorCode.NOT_FOUND, field="lines"
            )
        if variant.product.status != ProductStatus.APPROVED:
            raise DomainError(
                _("%(product)s is not approved yet: only curated products can be consigned.") % {"product": variant},
                code=CatalogErrorCode.PRODUCT_NOT_SELLABLE,
                field="lines",
            )
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or line.quantity <= 0:
            raise DomainError(
                _("Quantities must be whole numbers above zero."), code=CatalogErrorCode.INVALID_QUANTITY, field="lines"
            )
        if line.expires_on is not None and line.expires_on <= today:
            raise DomainError(
                _("%(product)s: this batch has already expired.") % {"product": variant},
                code=CatalogErrorCode.INVALID,
                field="lines",
            )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                delivery = StockDelivery.objects.create(
                    number=_delivery_number(), vendor=vendor, outlet=outlet, note=note, created_by=user
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - five collisions of 24 random bits in one day
        raise RuntimeError("Could not draw a delivery number")
    StockDeliveryLine.objects.bulk_create(
        [
            StockDeliveryLine(
                delivery=delivery,
                variant_id=line.variant_id,
                quantity_sent=line.quantity,
                batch_code=line.batch_code[:40],
                expires_on=line.expires_on,
            )
            for line in lines
        ]
    )
    return delivery


@transaction.atomic
def stock_delivery_receive(
    *, delivery: StockDelivery, received: dict[int, int] | None = None, user=None, note: str = ""
) -> StockDelivery:
    """Confirm receipt at the café: book the received units (per line id; default = as sent), record differences."""
    delivery = StockDelivery.objects.select_for_update().select_related("outlet").get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.SENT:
        raise DomainError(
            _("This delivery was already received or cancelled."), code=CatalogErrorCode.DELIVERY_NOT_OPEN, field="id"
        )
    received = received or {}
    lines = list(delivery.lines.select_related("variant", "variant__product").order_by("pk"))
    unknown = set(received) - {line.pk for line in lines}
    if unknown:
        raise DomainError(_("A line is not part of this delivery."), code=CatalogErrorCode.NOT_FOUND, field="lines")
    booked = []
    differences = []
    for line in lines:
        qty = received.get(line.pk, line.quantity_sent)
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
            raise DomainError(
                _("Received quantities cannot be negative."), code=CatalogErrorCode.INVALID_QUANTITY, field="lines"
            )
        if qty > line.quantity_sent:
            raise DomainError(
                _(
                    "%(product)s: more received (%(received)d) than sent (%(sent)d); record a new delivery for the extra units."
                )
                % {"product": line.variant, "received": qty, "sent": line.quantity_sent},
                code=CatalogErrorCode.INVALID_QUANTITY,
                field="lines",
            )
        line.quantity_received = qty
        if qty != line.quantity_sent:
            differences.append(line)
        booked.append((line.variant, qty))
    if differences and not note.strip():
        raise DomainError(
            _("Some quantities differ from the delivery note: explain the difference."),
            code=CatalogErrorCode.REASON_REQUIRED,
            field="note",
        )
    StockDeliveryLine.objects.bulk_update(lines, ["quantity_received"])
    stock_receive_lines(outlet=delivery.outlet, delivery=delivery, received=booked, user=user)
    delivery.status = DeliveryStatus.RECEIVED
    delivery.received_by = user if user is not None and user.is_authenticated else None
    delivery.received_at = timezone.now()
    delivery.receipt_note = note
    delivery.save(update_fields=["status", "received_by", "received_at", "receipt_note", "updated_at"])
    return delivery


@transaction.atomic
def stock_delivery_cancel(*, delivery: StockDelivery, user=None) -> StockDelivery:
    """Withdraw a delivery the café has not received yet."""
    updated = StockDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENT).update(
        status=DeliveryStatus.CANCELLED, updated_at=timezone.now()
    )
    if not updated:
        raise DomainError(
            _("This delivery was already received or cancelled."), code=CatalogErrorCode.DELIVERY_NOT_OPEN, field="id"
        )
    delivery.refresh_from_db()
    return delivery
