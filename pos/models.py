"""Café point-of-sale: terminals with their printers, shifts with cash control, sales, refunds, reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class PaperWidth(models.IntegerChoices):
    MM58 = 58, _("58 mm")
    MM80 = 80, _("80 mm")


class Terminal(TimeStampedModel):
    """A cash register of a café: where shifts are opened and receipts are printed."""

    outlet = models.ForeignKey(
        "accounts.Outlet", on_delete=models.PROTECT, related_name="pos_terminals", verbose_name=_("café")
    )
    name = models.CharField(_("name"), max_length=60)
    code = models.CharField(
        _("short code"),
        max_length=6,
        help_text=_("Part of every receipt number, e.g. K1."),
    )
    printer_url = models.CharField(
        _("receipt printer"),
        max_length=200,
        blank=True,
        help_text=_("tcp://host:9100, file:/dev/usb/lp0, usb://04b8:0202 or dummy:. Empty: the default printer."),
    )
    paper_width = models.PositiveSmallIntegerField(
        _("paper width"), choices=PaperWidth.choices, default=PaperWidth.MM80
    )
    allow_negative_stock = models.BooleanField(
        _("allow selling without stock"),
        default=False,
        help_text=_("Set by the café manager; such sales are flagged and show in the stock report."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_receipt_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["outlet__name", "name"]
        verbose_name = _("terminal")
        verbose_name_plural = _("terminals")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "code"], name="pos_terminal_code_unique_per_outlet"),
            models.UniqueConstraint(fields=["outlet", "name"], name="pos_terminal_name_unique_per_outlet"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.outlet.code})" if self.outlet_id else self.name

    @property
    def effective_printer_url(self) -> str:
        return self.printer_url or settings.DEFAULT_PRINTER_URL

    @property
    def line_chars(self) -> int:
        """Characters per line of font A on this paper."""
        return 32 if self.paper_width == PaperWidth.MM58 else 48


class ShiftStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Shift(TimeStampedModel):
    """One cashier's session on one terminal, from the opening float to the cash count."""

    terminal = models.ForeignKey(Terminal, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("terminal"))
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pos_shifts", verbose_name=_("cashier")
    )
    status = models.CharField(_("status"), max_length=10, choices=ShiftStatus.choices, default=ShiftStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    opening_cash = models.BigIntegerField(_("opening float"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expected_cash = models.BigIntegerField(_("expected cash"), null=True, blank=True)
    counted_cash = models.BigIntegerField(_("counted cash"), null=True, blank=True)
    counted_denominations = models.JSONField(_("counted denominations"), default=dict, blank=True)
    difference = models.BigIntegerField(_("difference"), null=True, blank=True)
    difference_note = models.TextField(_("explanation of the difference"), blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(
                fields=["terminal"], condition=Q(status="open"), name="pos_one_open_shift_per_terminal"
            ),
            models.CheckConstraint(condition=Q(opening_cash__gte=0), name="pos_shift_opening_cash_not_negative"),
            models.CheckConstraint(
                condition=Q(counted_cash__isnull=True) | Q(counted_cash__gte=0),
                name="pos_shift_counted_cash_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.terminal} · {self.opened_at:%d/%m/%Y %H.%M}"

    @property
    def is_open(self) -> bool:
        return self.status == ShiftStatus.OPEN


class CashMovementKind(models.TextChoices):
    CASH_IN = "in", _("Cash in")
    CASH_OUT = "out", _("Cash out")


class CashMovement(TimeStampedModel):
    """Cash put into or taken out of the drawer during a shift, other than sales and refunds."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="cash_movements")
    kind = models.CharField(_("kind"), max_length=4, choices=CashMovementKind.choices)
    amount = models.PositiveBigIntegerField(_("amount"))
    reason = models.CharField(_("reason"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("cash movement")
        verbose_name_plural = _("cash movements")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="pos_cash_movement_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class ShiftReportKind(models.TextChoices):
    X = "x", _("X report (mid-shift)")
    Z = "z", _("Z report (shift close)")


class ShiftReport(TimeStampedModel):
    """A stored X or Z report: the figures as they were when it was taken."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=1, choices=ShiftReportKind.choices)
    data = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    print_job = models.ForeignKey("core.PrintJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("shift report")
        verbose_name_plural = _("shift reports")
        constraints = [
            models.UniqueConstraint(fields=["shift"], condition=Q(kind="z"), name="pos_one_z_report_per_shift")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.shift_id}"


class SaleStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Sale(TimeStampedModel):
    """A POS sale, recorded once per client id whether it came from the screen, the API or an offline sync."""

    client_id = models.UUIDField(_("client id"), unique=True)
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="sales")
    terminal = models.ForeignKey(Terminal, on_delete=models.PROTECT, related_name="sales")
    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="pos_sales")
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pos_sales")
    number = models.CharField(_("receipt number"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=SaleStatus.choices, default=SaleStatus.COMPLETED)
    visit = models.ForeignKey(
        "accounts.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="pos_sales"
    )
    subtotal = models.BigIntegerField(_("subtotal"))
    discount_total = models.BigIntegerField(_("discount"), default=0)
    total = models.BigIntegerField(_("total"))
    cash_amount = models.BigIntegerField(_("paid in cash"), default=0)
    qris_amount = models.BigIntegerField(_("paid by QRIS"), default=0)
    tendered = models.BigIntegerField(_("cash tendered"), default=0)
    change = models.BigIntegerField(_("change"), default=0)
    refunded_total = models.BigIntegerField(_("refunded"), default=0)
    sold_at = models.DateTimeField(_("sold at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    receipt_token = models.CharField(max_length=43, unique=True, editable=False)
    offline = models.BooleanField(_("sold offline"), default=False)
    late_sync = models.BooleanField(
        _("synced after the shift closed"),
        default=False,
        help_text=_("Arrived from an offline register after its shift was closed and counted."),
    )
    oversold = models.BooleanField(_("sold without stock"), default=False)
    reservation = models.ForeignKey(
        "catalog.Reservation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Stock held while a QRIS payment is pending.",
    )

    class Meta:
        ordering = ["-sold_at"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        permissions = [
            ("give_discount", "Can give a line discount"),
            ("reprint_receipt", "Can reprint a receipt"),
            ("view_shift_report", "Can print X and Z reports"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="pos_sale_total_not_negative"),
            models.CheckConstraint(condition=Q(change__gte=0), name="pos_sale_change_not_negative"),
            models.CheckConstraint(
                condition=Q(refunded_total__lte=models.F("total")), name="pos_sale_refund_within_total"
            ),
        ]
        indexes = [models.Index(fields=["shift", "status"])]

    def __str__(self) -> str:
        return self.number


class SaleLine(TimeStampedModel):
    """One product on a sale, with the price, discount and consignment commission frozen at the time of sale."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.PROTECT, related_name="pos_sale_lines")
    vendor = models.ForeignKey("catalog.Vendor", on_delete=models.PROTECT, related_name="pos_sale_lines")
    product_name = models.CharField(max_length=200)
    vendor_name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.BigIntegerField()
    discount = models.BigIntegerField(default=0)
    discount_reason = models.CharField(max_length=200, blank=True)
    line_total = models.BigIntegerField()
    commission_rate_bp = models.PositiveIntegerField()
    refunded_quantity = models.PositiveIntegerField(default=0)
    oversold = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="pos_sale_line_quantity_positive"),
            models.CheckConstraint(condition=Q(discount__gte=0), name="pos_sale_line_discount_not_negative"),
            models.CheckConstraint(
                condition=Q(refunded_quantity__lte=models.F("quantity")), name="pos_sale_line_refund_within_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    QRIS = "qris", _("QRIS")


class SalePaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")


class SalePayment(TimeStampedModel):
    """A part of a sale's payment: cash (with tender and change) or QRIS through Midtrans."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    amount = models.BigIntegerField()
    tendered = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=SalePaymentStatus.choices, default=SalePaymentStatus.PAID)
    # The Midtrans order id of a QRIS part (the payment itself lives in the payments app, found by the sale's client id).
    gateway_order_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="pos_sale_payment_amount_positive")]


class Refund(TimeStampedModel):
    """Goods returned against a receipt: stock goes back, money leaves the drawer or goes back through QRIS."""

    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="refunds")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="refunds")
    number = models.CharField(max_length=40, unique=True)
    reason = models.CharField(_("reason"), max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    total = models.BigIntegerField()
    cash_amount = models.BigIntegerField(default=0)
    qris_amount = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return self.number


class RefundLine(TimeStampedModel):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    sale_line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="refund_lines")
    quantity = models.PositiveIntegerField()
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["pk"]
