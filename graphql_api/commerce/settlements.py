"""Consignment settlements over GraphQL: a month's statement per UMKM (frozen once closed), closing, paying."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphene_django import DjangoObjectType

from commerce.error_codes import CommerceErrorCode
from commerce.models import SettlementStatement, SettlementStatus
from commerce.services.settlements import parse_month, settlement_mark_paid, settlement_month_close
from commerce.settlements import (
    month_bounds,
    settlement_for_vendor,
    settlement_statements_for,
    vendors_settled_for,
)
from core.exceptions import NotFoundError

from ..core.ids import decode_id
from ..core.mutations import BaseMutation
from ..core.permissions import require_login, require_permissions
from ..core.types import CountableConnection, Money

SettlementStatusEnum = graphene.Enum.from_enum(SettlementStatus, name="SettlementStatusEnum")


class SettlementLineType(graphene.ObjectType):
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    unit_price = graphene.Field(Money, required=True)
    commission_rate_bp = graphene.Int(required=True, description="Commission in basis points (1500 = 15 %).")
    units = graphene.Int(required=True, description="Sold minus returned.")
    gross = graphene.Field(Money, required=True)
    commission = graphene.Field(Money, required=True)
    payout = graphene.Field(Money, required=True)

    class Meta:
        name = "SettlementLine"

    @staticmethod
    def of(line) -> SettlementLineType:
        get = line.get if isinstance(line, dict) else lambda key: getattr(line, key)
        return SettlementLineType(
            product_name=get("product_name"),
            variant_name=get("variant_name"),
            unit_price=Money.of(get("unit_price")),
            commission_rate_bp=get("commission_rate_bp"),
            units=get("units"),
            gross=Money.of(get("gross")),
            commission=Money.of(get("commission")),
            payout=Money.of(get("payout")),
        )


class SettlementStatementType(DjangoObjectType):
    vendor_name = graphene.String(required=True)
    gross = graphene.Field(Money, required=True)
    commission = graphene.Field(Money, required=True)
    payout = graphene.Field(Money, required=True)
    status = SettlementStatusEnum(required=True)
    lines = graphene.List(graphene.NonNull(SettlementLineType), required=True)

    class Meta:
        model = SettlementStatement
        name = "SettlementStatement"
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection
        fields = (
            "number",
            "period_start",
            "period_end",
            "bank_name",
            "bank_account_number",
            "bank_account_name",
            "paid_at",
            "transfer_reference",
        )

    def resolve_vendor_name(root, info):
        return root.vendor.name

    def resolve_gross(root, info):
        return Money.of(root.gross)

    def resolve_commission(root, info):
        return Money.of(root.commission)

    def resolve_payout(root, info):
        return Money.of(root.payout)

    def resolve_lines(root, info):
        return [SettlementLineType.of(line) for line in root.lines]


class SettlementPreviewType(graphene.ObjectType):
    """A month computed from the ledger now: provisional until the month is closed."""

    vendor_name = graphene.String(required=True)
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(required=True)
    gross = graphene.Field(Money, required=True)
    commission = graphene.Field(Money, required=True)
    payout = graphene.Field(Money, required=True)
    lines = graphene.List(graphene.NonNull(SettlementLineType), required=True)
    statement = graphene.Field(SettlementStatementType, description="The frozen statement, once the month is closed.")

    class Meta:
        name = "SettlementPreview"


class SettlementQueries(graphene.ObjectType):
    settlement_statements = graphene.relay.ConnectionField(
        SettlementStatementType._meta.connection,
        month=graphene.String(description="YYYY-MM"),
        vendor=graphene.ID(),
        status=SettlementStatusEnum(),
        description="Closed months' statements: every UMKM's for the regency, one's own for a UMKM owner.",
    )
    settlement_preview = graphene.Field(
        SettlementPreviewType,
        vendor=graphene.ID(required=True),
        month=graphene.String(required=True, description="YYYY-MM"),
        description="A UMKM's month as the ledger has it now (own UMKM, or any with commerce.view_settlement).",
    )

    def resolve_settlement_statements(root, info, month=None, vendor=None, status=None, **kwargs):
        require_login(info)
        user = info.context.user
        if not (user.has_perm("commerce.view_settlement") or user.has_perm("commerce.view_own_settlement")):
            require_permissions(info, ["commerce.view_settlement"])
        statements = (
            settlement_statements_for(user).select_related("vendor").order_by("-period_start", "vendor__name", "pk")
        )
        if month:
            year, number = parse_month(month)
            statements = statements.filter(period_start=month_bounds(year, number)[0])
        if vendor:
            statements = statements.filter(vendor_id=decode_id(vendor, expected_type="Vendor", field="vendor"))
        if status:
            statements = statements.filter(status=getattr(status, "value", status))
        return statements

    def resolve_settlement_preview(root, info, vendor, month):
        require_login(info)
        year, number = parse_month(month)
        vendor_id = decode_id(vendor, expected_type="Vendor", field="vendor")
        vendor_obj = vendors_settled_for(info.context.user).filter(pk=vendor_id).first()
        if vendor_obj is None:
            raise NotFoundError(_("Couldn't resolve id: %(id)s.") % {"id": vendor}, field="vendor")
        start, end = month_bounds(year, number)
        live = settlement_for_vendor(vendor=vendor_obj, start=start, end=end)
        return SettlementPreviewType(
            vendor_name=vendor_obj.name,
            period_start=start,
            period_end=end,
            gross=Money.of(live.gross),
            commission=Money.of(live.commission),
            payout=Money.of(live.payout),
            lines=[SettlementLineType.of(line) for line in live.lines],
            statement=SettlementStatement.objects.filter(vendor=vendor_obj, period_start=start).first(),
        )


class SettlementMonthClose(BaseMutation):
    """Freeze every UMKM's statement of a month that has ended (again: returns the ones closed before)."""

    statements = graphene.List(graphene.NonNull(SettlementStatementType), required=True)

    class Arguments:
        month = graphene.String(required=True, description="YYYY-MM")

    class Meta:
        permissions = ("commerce.manage_settlement",)
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, month):
        year, number = parse_month(month)
        return cls(statements=settlement_month_close(year=year, month=number, user=info.context.user))

    @classmethod
    def error_payload(cls, errors):
        payload = super().error_payload(errors)
        payload.statements = []
        return payload


class SettlementMarkPaid(BaseMutation):
    """Record the bank transfer that paid a UMKM's statement (once)."""

    statement = graphene.Field(SettlementStatementType)

    class Arguments:
        id = graphene.ID(required=True)
        transfer_reference = graphene.String(required=True)

    class Meta:
        permissions = ("commerce.manage_settlement",)
        error_type_class = CommerceErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, transfer_reference):
        pk = decode_id(id, expected_type="SettlementStatement", field="id")
        statement = SettlementStatement.objects.filter(pk=pk).first()
        if statement is None:
            raise NotFoundError(_("Couldn't resolve id: %(id)s.") % {"id": id}, field="id")
        return cls(
            statement=settlement_mark_paid(
                statement=statement, transfer_reference=transfer_reference, user=info.context.user
            )
        )


class SettlementMutations(graphene.ObjectType):
    settlement_month_close = SettlementMonthClose.Field()
    settlement_mark_paid = SettlementMarkPaid.Field()
