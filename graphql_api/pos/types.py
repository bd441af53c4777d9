import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from pos.models import CashMovement, Refund, Sale, SaleLine, SalePayment, Shift, ShiftReport, Terminal
from pos.receipts import receipt_url

from ..core.types import CountableConnection, Money
from .enums import PosCashMovementKind, PosPaymentMethod, PosSaleStatus, PosShiftStatus


class TerminalType(DjangoObjectType):
    paper_width = graphene.Int(required=True, description="Receipt paper width in mm: 58 or 80.")

    class Meta:
        model = Terminal
        name = "PosTerminal"
        interfaces = (relay.Node,)
        fields = ("id", "outlet", "name", "code", "printer_url", "paper_width", "allow_negative_stock", "is_active")


class CashMovementType(DjangoObjectType):
    kind = PosCashMovementKind(required=True)
    amount = graphene.Field(Money, required=True)

    class Meta:
        model = CashMovement
        name = "PosCashMovementRecord"
        interfaces = (relay.Node,)
        fields = ("id", "reason", "created_at")

    def resolve_kind(root, info):
        return str(root.kind)

    def resolve_amount(root, info):
        return Money.of(root.amount)


class ShiftReportType(DjangoObjectType):
    kind = graphene.String(required=True)
    expected_cash = graphene.Field(Money)
    counted_cash = graphene.Field(Money)
    difference = graphene.Field(Money)
    data = graphene.JSONString(required=True, description="Every figure of the report, as stored.")
    print_status = graphene.String()

    class Meta:
        model = ShiftReport
        name = "PosShiftReport"
        interfaces = (relay.Node,)
        fields = ("id", "created_at")

    def resolve_kind(root, info):
        return root.kind.upper()

    def resolve_expected_cash(root, info):
        return Money.of(root.data.get("expected_cash"))

    def resolve_counted_cash(root, info):
        return Money.of(root.data.get("counted_cash"))

    def resolve_difference(root, info):
        return Money.of(root.data.get("difference"))

    def resolve_data(root, info):
        return root.data

    def resolve_print_status(root, info):
        return root.print_job.status if root.print_job_id else None


class SaleLineType(DjangoObjectType):
    unit_price = graphene.Field(Money, required=True)
    discount = graphene.Field(Money, required=True)
    line_total = graphene.Field(Money, required=True)

    class Meta:
        model = SaleLine
        name = "PosSaleLine"
        interfaces = (relay.Node,)
        fields = (
            "id",
            "product_name",
            "vendor_name",
            "quantity",
            "discount_reason",
            "commission_rate_bp",
            "refunded_quantity",
            "oversold",
        )

    def resolve_unit_price(root, info):
        return Money.of(root.unit_price)

    def resolve_discount(root, info):
        return Money.of(root.discount)

    def resolve_line_total(root, info):
        return Money.of(root.line_total)


class SalePaymentType(graphene.ObjectType):
    method = PosPaymentMethod(required=True)
    amount = graphene.Field(Money, required=True)
    tendered = graphene.Field(Money)
    status = graphene.String(required=True)

    class Meta:
        name = "PosSalePayment"

    def resolve_method(root: SalePayment, info):
        return str(root.method)

    def resolve_amount(root, info):
        return Money.of(root.amount)

    def resolve_tendered(root, info):
        return Money.of(root.tendered) if root.tendered else None

    def resolve_status(root, info):
        return root.status.upper()


class SaleType(DjangoObjectType):
    status = PosSaleStatus(required=True)
    subtotal = graphene.Field(Money, required=True)
    discount = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    change = graphene.Field(Money, required=True)
    tendered = graphene.Field(Money, required=True)
    refunded = graphene.Field(Money, required=True)
    receipt_url = graphene.String(required=True)
    visit_code = graphene.String()
    cashier_name = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(SaleLineType), required=True)
    payments = graphene.List(graphene.NonNull(SalePaymentType), required=True)
    qris_string = graphene.String(description="The QRIS code to show while the sale awaits its payment.")

    class Meta:
        model = Sale
        name = "PosSale"
        interfaces = (relay.Node,)
        connection_class = CountableConnection
        fields = ("id", "client_id", "number", "sold_at", "completed_at", "offline", "late_sync", "oversold")

    def resolve_status(root, info):
        return str(root.status)

    def resolve_subtotal(root, info):
        return Money.of(root.subtotal)

    def resolve_discount(root, info):
        return Money.of(root.discount_total)

    def resolve_total(root, info):
        return Money.of(root.total)

    def resolve_change(root, info):
        return Money.of(root.change)

    def resolve_tendered(root, info):
        return Money.of(root.tendered)

    def resolve_refunded(root, info):
        return Money.of(root.refunded_total)

    def resolve_receipt_url(root, info):
        return receipt_url(root)

    def resolve_visit_code(root, info):
        return root.visit.code if root.visit_id else None

    def resolve_cashier_name(root, info):
        return str(root.cashier)

    def resolve_lines(root, info):
        return root.lines.all()

    def resolve_payments(root, info):
        return root.payments.all()

    def resolve_qris_string(root, info):
        payment = getattr(root, "_qris_payment", None)
        if payment is None and root.status == "awaiting_payment":
            from pos.services.sales import sale_qris_payment

            payment = sale_qris_payment(root)
        return getattr(payment, "qr_string", None) if root.status == "awaiting_payment" else None


class ShiftType(DjangoObjectType):
    status = PosShiftStatus(required=True)
    opening_cash = graphene.Field(Money, required=True)
    expected_cash = graphene.Field(
        Money, required=True, description="Now for an open shift; at close for a closed one."
    )
    counted_cash = graphene.Field(Money)
    difference = graphene.Field(Money)
    cashier_name = graphene.String(required=True)
    summary = graphene.JSONString(
        required=True, description="Sales by method, refunds, discounts, cash movements, per UMKM."
    )
    cash_movements = graphene.List(graphene.NonNull(CashMovementType), required=True)
    reports = graphene.List(graphene.NonNull(ShiftReportType), required=True)

    class Meta:
        model = Shift
        name = "PosShift"
        interfaces = (relay.Node,)
        fields = ("id", "terminal", "opened_at", "closed_at", "difference_note")

    def resolve_status(root, info):
        return str(root.status)

    def resolve_opening_cash(root, info):
        return Money.of(root.opening_cash)

    def _summary(root):
        from pos.selectors import shift_cash_summary

        if not hasattr(root, "_summary_cache"):
            root._summary_cache = shift_cash_summary(shift=root)
        return root._summary_cache

    def resolve_expected_cash(root, info):
        if root.expected_cash is not None:
            return Money.of(root.expected_cash)
        return Money.of(ShiftType._summary(root)["expected_cash"])

    def resolve_counted_cash(root, info):
        return Money.of(root.counted_cash)

    def resolve_difference(root, info):
        return Money.of(root.difference)

    def resolve_cashier_name(root, info):
        return str(root.cashier)

    def resolve_summary(root, info):
        return ShiftType._summary(root)

    def resolve_cash_movements(root, info):
        return root.cash_movements.all()

    def resolve_reports(root, info):
        return root.reports.select_related("print_job").all()


class RefundType(DjangoObjectType):
    total = graphene.Field(Money, required=True)
    cash_amount = graphene.Field(Money, required=True)
    qris_amount = graphene.Field(Money, required=True)

    class Meta:
        model = Refund
        name = "PosRefund"
        interfaces = (relay.Node,)
        fields = ("id", "number", "reason", "sale", "created_at")

    def resolve_total(root, info):
        return Money.of(root.total)

    def resolve_cash_amount(root, info):
        return Money.of(root.cash_amount)

    def resolve_qris_amount(root, info):
        return Money.of(root.qris_amount)
