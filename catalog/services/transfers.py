"""Transfers between cafés with the goods on the way (mutasi antar outlet).

Sending takes the units out of the source café's stock (a `transfer_out` ledger line); they are
available at the destination only once it receives them (`transfer_in`). Until then the transfer is
*in transit*: the destination sees it coming, the source may cancel it (the units come back with a
`transfer_in` at the source). Receiving or cancelling twice, or at once from two screens, changes
the stock once: the transfer row is locked and its status decides.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import user_can_act_at_outlet
from core.exceptions import DomainError

from ..error_codes import CatalogErrorCode
from ..models import MovementKind, StockTransfer, StockTransferLine, TransferStatus
from .stock import StockLine, _lock_available, _lock_stocks, _post, _variants, movement_reference


def _require_staff_at(user, outlet, *, field: str) -> None:
    if user is not None and not user_can_act_at_outlet(user, outlet.pk):
        raise DomainError(_("You are not assigned to this café."), code=CatalogErrorCode.PERMISSION_DENIED, field=field)


@transaction.atomic
def stock_transfer_send(*, source, destination, lines: list[StockLine], user=None, note: str = "") -> StockTransfer:
    """Send units to another café: they leave the source's stock now and wait there to be received."""
    if source.pk == destination.pk:
        raise DomainError(_("Choose two different cafés."), code=CatalogErrorCode.SAME_OUTLET, field="destination")
    if not destination.is_active or not destination.offers_sales:
        raise DomainError(
            _("This café does not sell UMKM products."), code=CatalogErrorCode.INVALID, field="destination"
        )
    _require_staff_at(user, source, field="source")
    merged, variants, stocks = _lock_available(source, lines)
    transfer = StockTransfer.objects.create(
        number=movement_reference("MUT"),
        source=source,
        destination=destination,
        note=(note or "")[:255],
        sent_by=user if user is not None and user.is_authenticated else None,
    )
    StockTransferLine.objects.bulk_create(
        [StockTransferLine(transfer=transfer, variant_id=vid, quantity=line.quantity) for vid, line in merged.items()]
    )
    _post(
        [
            {
                "outlet_id": source.pk,
                "variant": variants[vid],
                "kind": MovementKind.TRANSFER_OUT,
                "quantity": -line.quantity,
                "reference": transfer.number,
                "note": _("to %(cafe)s") % {"cafe": destination.name},
            }
            for vid, line in merged.items()
        ],
        stocks,
        user=user,
    )
    return transfer


def _lock_in_transit(transfer: StockTransfer) -> StockTransfer:
    transfer = (
        StockTransfer.objects.select_for_update(of=("self",))
        .select_related("source", "destination")
        .get(pk=transfer.pk)
    )
    if transfer.status != TransferStatus.IN_TRANSIT:
        raise DomainError(
            _("Transfer %(number)s is already %(status)s.")
            % {"number": transfer.number, "status": transfer.get_status_display().lower()},
            code=CatalogErrorCode.INVALID_TRANSITION,
            field="id",
        )
    return transfer


def _book_in(transfer: StockTransfer, *, outlet, user, note: str) -> None:
    lines = list(transfer.lines.all())
    variants = _variants({line.variant_id for line in lines}, sellable=False)
    stocks = _lock_stocks({(outlet.pk, line.variant_id) for line in lines}, create_missing=True)
    _post(
        [
            {
                "outlet_id": outlet.pk,
                "variant": variants[line.variant_id],
                "kind": MovementKind.TRANSFER_IN,
                "quantity": line.quantity,
                "reference": transfer.number,
                "note": note,
            }
            for line in lines
        ],
        stocks,
        user=user,
    )


@transaction.atomic
def stock_transfer_receive(*, transfer: StockTransfer, user=None) -> StockTransfer:
    """The destination café takes the units in: they become available there."""
    transfer = _lock_in_transit(transfer)
    _require_staff_at(user, transfer.destination, field="id")
    _book_in(transfer, outlet=transfer.destination, user=user, note=_("from %(cafe)s") % {"cafe": transfer.source.name})
    return _close(transfer, TransferStatus.RECEIVED, user)


@transaction.atomic
def stock_transfer_cancel(*, transfer: StockTransfer, user=None) -> StockTransfer:
    """Call the units back: they return to the source café's stock."""
    transfer = _lock_in_transit(transfer)
    _require_staff_at(user, transfer.source, field="id")
    _book_in(transfer, outlet=transfer.source, user=user, note=_("transfer cancelled"))
    return _close(transfer, TransferStatus.CANCELLED, user)


def _close(transfer: StockTransfer, status: str, user) -> StockTransfer:
    transfer.status = status
    transfer.closed_at = timezone.now()
    transfer.closed_by = user if user is not None and user.is_authenticated else None
    transfer.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return transfer
