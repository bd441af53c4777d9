"""Stock on the move and on the shelf over GraphQL: transfers between cafés (send, receive, call back, the list on
the way) and the batches close to their best-before date."""

from __future__ import annotations

import graphene
from django.db.models import Q
from graphene_django import DjangoObjectType

from accounts.models import Outlet
from accounts.selectors import outlets_for_user
from catalog.error_codes import CatalogErrorCode
from catalog.models import StockMovement, StockTransfer, StockTransferLine, TransferStatus
from catalog.selectors import transfers_for_user
from catalog.services.stock import StockLine
from catalog.services.transfers import stock_transfer_cancel, stock_transfer_receive, stock_transfer_send

from ..core.ids import decode_id, get_node_or_error
from ..core.mutations import BaseMutation
from ..core.permissions import require_permissions
from .types import StockMovementType

TransferStatusEnum = graphene.Enum.from_enum(TransferStatus, name="StockTransferStatusEnum")


class StockTransferLineType(DjangoObjectType):
    class Meta:
        model = StockTransferLine
        name = "StockTransferLine"
        fields = ("variant", "quantity")


class StockTransferType(DjangoObjectType):
    status = TransferStatusEnum(required=True)
    lines = graphene.List(graphene.NonNull(StockTransferLineType), required=True)

    class Meta:
        model = StockTransfer
        name = "StockTransfer"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "number", "source", "destination", "note", "created_at", "closed_at")

    def resolve_lines(root, info):
        return root.lines.all()


class StockLineInput(graphene.InputObjectType):
    variant = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class ExpiringBatchType(graphene.ObjectType):
    variant = graphene.Field("graphql_api.catalog.types.ProductVariantType", required=True)
    batch_code = graphene.String(required=True)
    expires_on = graphene.Date(required=True)
    units = graphene.Int(required=True, description="Estimated by FEFO: the units left are the latest batches'.")
    days_left = graphene.Int(required=True, description="Negative once past the date.")
    expired = graphene.Boolean(required=True)

    class Meta:
        name = "ExpiringBatch"


class TransferQueries(graphene.ObjectType):
    stock_expiring = graphene.List(
        graphene.NonNull(ExpiringBatchType),
        required=True,
        outlet=graphene.ID(required=True),
        days=graphene.Int(default_value=30, description="How far ahead to look (0–365)."),
        description="Batches at one of your cafés whose best-before date is within `days` or past, soonest first.",
    )

    stock_transfers = graphene.List(
        graphene.NonNull(StockTransferType),
        required=True,
        outlet=graphene.ID(description="Only transfers from or to this café."),
        status=TransferStatusEnum(description="Default: on the way."),
        description="Transfers from or to the caller's cafés, oldest first.",
    )

    def resolve_stock_expiring(root, info, outlet, days=30):
        from catalog.selectors import batches_expiring

        require_permissions(info, ["catalog.view_stock"])
        outlet_obj = get_node_or_error(
            outlet, queryset=outlets_for_user(info.context.user), expected_type="Outlet", field="outlet"
        )
        return batches_expiring(outlet=outlet_obj, within_days=max(0, min(int(days), 365)))

    def resolve_stock_transfers(root, info, outlet=None, status=None):
        require_permissions(info, ["catalog.view_stock"])
        transfers = transfers_for_user(info.context.user)
        if outlet:
            outlet_id = decode_id(outlet, expected_type="Outlet", field="outlet")
            transfers = transfers.filter(Q(source_id=outlet_id) | Q(destination_id=outlet_id))
        transfers = transfers.filter(status=getattr(status, "value", status) or TransferStatus.IN_TRANSIT)
        return (
            transfers.select_related("source", "destination")
            .prefetch_related("lines__variant")
            .order_by("created_at", "pk")
        )


class StockTransferSend(BaseMutation):
    """Send units to another café (mutasi antar outlet): they leave the source now and count at the
    destination once it receives them with `stockTransferReceive`."""

    transfer = graphene.Field(StockTransferType)
    movements = graphene.List(graphene.NonNull(StockMovementType), description="The source café's ledger lines.")

    class Arguments:
        source = graphene.ID(required=True)
        destination = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(StockLineInput), required=True)
        note = graphene.String(default_value="")

    class Meta:
        permissions = ("catalog.transfer_stock",)
        error_type_class = CatalogErrorCode

    @classmethod
    def perform_mutation(cls, root, info, source, destination, lines, note):
        source_obj = get_node_or_error(
            source, queryset=outlets_for_user(info.context.user), expected_type="Outlet", field="source"
        )
        destination_obj = get_node_or_error(
            destination, queryset=Outlet.objects.all(), expected_type="Outlet", field="destination"
        )
        stock_lines = [
            StockLine(decode_id(line.variant, expected_type="ProductVariant", field="lines"), line.quantity)
            for line in lines
        ]
        transfer = stock_transfer_send(
            source=source_obj, destination=destination_obj, lines=stock_lines, user=info.context.user, note=note
        )
        movements = StockMovement.objects.filter(outlet=source_obj, reference=transfer.number).order_by("pk")
        return cls(transfer=transfer, movements=movements)


class _TransferClose(BaseMutation):
    """Close a transfer on the way: `side` is the café whose staff may do it, `close` the service."""

    transfer = graphene.Field(StockTransferType)
    side = None
    close = None

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, root, info, id):
        transfer = get_node_or_error(
            id,
            queryset=StockTransfer.objects.filter(**{f"{cls.side}__in": outlets_for_user(info.context.user)}),
            expected_type="StockTransfer",
            field="id",
        )
        return cls(transfer=cls.close(transfer=transfer, user=info.context.user))


class StockTransferReceive(_TransferClose):
    """The destination café takes in a transfer: its units become available there (once)."""

    side = "destination"
    close = staticmethod(stock_transfer_receive)

    class Meta:
        permissions = ("catalog.receive_stock",)
        error_type_class = CatalogErrorCode


class StockTransferCancel(_TransferClose):
    """The source café calls a transfer back before it is received: its units return to the source."""

    side = "source"
    close = staticmethod(stock_transfer_cancel)

    class Meta:
        permissions = ("catalog.transfer_stock",)
        error_type_class = CatalogErrorCode


class TransferMutations(graphene.ObjectType):
    stock_transfer = StockTransferSend.Field()
    stock_transfer_receive = StockTransferReceive.Field()
    stock_transfer_cancel = StockTransferCancel.Field()
