"""Storefront carts (checkouts), orders with their status history, delivery fees per kecamatan."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Pick up at a café")
    DELIVERY = "delivery", _("Delivery")


class DeliveryFee(TimeStampedModel):
    """The flat delivery fee to one kecamatan of Trenggalek, set by the regency admin."""

    kecamatan = models.CharField(_("kecamatan"), max_length=80, unique=True)
    fee = models.PositiveIntegerField(_("fee (rupiah)"))
    is_active = models.BooleanField(_("delivers there"), default=True)

    class Meta:
        ordering = ["kecamatan"]
        verbose_name = _("delivery fee")
        verbose_name_plural = _("delivery fees")

    def __str__(self) -> str:
        return f"{self.kecamatan}: {self.fee}"


class CheckoutStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")


class Checkout(TimeStampedModel):
    """A shopper's cart on its way to becoming an order.

    Known to its browser by `token` (kept in the session); a logged-in shopper's
    cart also belongs to the user and to today's online visit.
    """

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="checkouts"
    )
    visit = models.ForeignKey(
        "accounts.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="checkouts"
    )
    status = models.CharField(max_length=12, choices=CheckoutStatus.choices, default=CheckoutStatus.OPEN)
    name = models.CharField(_("name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164"))
    email = models.EmailField(_("email"), blank=True)
    delivery_method = models.CharField(_("delivery method"), max_length=10, choices=DeliveryMethod.choices, blank=True)
    pickup_outlet = models.ForeignKey(
        "accounts.Outlet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pickup café"),
    )
    address_street = models.CharField(_("street and number"), max_length=200, blank=True)
    address_rt_rw = models.CharField(_("RT/RW"), max_length=20, blank=True)
    address_desa = models.CharField(_("kelurahan/desa"), max_length=80, blank=True)
    address_kecamatan = models.CharField(_("kecamatan"), max_length=80, blank=True)
    address_postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    address_note = models.CharField(_("note for the courier"), max_length=200, blank=True)
    # The café whose stock is held for this cart (the pickup café, or the café that ships a delivery).
    stock_outlet = models.ForeignKey(
        "accounts.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reservation = models.ForeignKey(
        "catalog.Reservation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="open"), name="one_open_checkout_per_user"),
        ]

    def __str__(self) -> str:
        return str(self.token)


class CheckoutLine(TimeStampedModel):
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    # The price the shopper last saw: a different current price is announced before anything is charged.
    unit_price_seen = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checkout", "variant"], name="one_line_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="checkout_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


class OrderStatus(models.TextChoices):
    UNPAID = "unpaid", _("Awaiting payment")
    PAID = "paid", _("Being packed")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    SHIPPED = "shipped", _("Shipped")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Payment time ran out")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")


class Order(TimeStampedModel):
    """A placed order. Found by its owner's login or by its unguessable `token`, never by number alone."""

    number = models.CharField(_("order number"), max_length=20, unique=True)
    token = models.CharField(max_length=43, unique=True, editable=False)
    checkout = models.OneToOneField(Checkout, null=True, blank=True, on_delete=models.SET_NULL, related_name="order")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    customer = models.ForeignKey(
        "accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    visit = models.ForeignKey("accounts.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders")
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.UNPAID)
    delivery_method = models.CharField(_("delivery method"), max_length=10, choices=DeliveryMethod.choices)
    outlet = models.ForeignKey(
        "accounts.Outlet",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("café"),
        help_text=_("The café that prepares the order: the pickup café, or the café that ships it."),
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    address_street = models.CharField(_("street and number"), max_length=200, blank=True)
    address_rt_rw = models.CharField(_("RT/RW"), max_length=20, blank=True)
    address_desa = models.CharField(_("kelurahan/desa"), max_length=80, blank=True)
    address_kecamatan = models.CharField(_("kecamatan"), max_length=80, blank=True)
    address_postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    address_note = models.CharField(_("note for the courier"), max_length=200, blank=True)
    subtotal = models.PositiveIntegerField(_("subtotal"))
    delivery_fee = models.PositiveIntegerField(_("delivery fee"), default=0)
    total = models.PositiveIntegerField(_("total"))
    refunded_amount = models.PositiveIntegerField(_("refunded"), default=0)
    pickup_code = models.CharField(_("pickup code"), max_length=12, unique=True)
    reservation = models.ForeignKey(
        "catalog.Reservation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stock_committed = models.BooleanField(_("stock taken"), default=False)
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(_("needs staff attention"), default=False)
    flag_reason = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        permissions = [
            ("fulfil_order", "Can mark orders ready, shipped and handed over"),
            ("refund_order", "Can refund orders"),
            ("view_settlement", "Can view the consignment settlements of every UMKM"),
            ("view_own_settlement", "Can view the consignment settlements of own UMKM"),
        ]
        indexes = [models.Index(fields=["outlet", "status"]), models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=models.F("subtotal") + models.F("delivery_fee")), name="order_total_adds_up"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=models.F("total")), name="order_refund_not_above_total"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("commerce:order-detail", args=[self.number]) + f"?t={self.token}"

    @property
    def pickup_qr_payload(self) -> str:
        """The text in the pickup QR that staff scan to hand the order over."""
        return f"GMO1:{self.number}:{self.pickup_code}"

    @property
    def shows_pickup_code(self) -> bool:
        return self.delivery_method == DeliveryMethod.PICKUP and self.status in (
            OrderStatus.PAID,
            OrderStatus.READY_FOR_PICKUP,
            OrderStatus.PARTIALLY_REFUNDED,
        )

    @property
    def full_address(self) -> str:
        parts = [
            self.address_street,
            f"RT/RW {self.address_rt_rw}" if self.address_rt_rw else "",
            self.address_desa,
            f"Kec. {self.address_kecamatan}" if self.address_kecamatan else "",
            "Kab. Trenggalek",
            self.address_postcode,
        ]
        return ", ".join(p for p in parts if p)


class OrderLine(TimeStampedModel):
    """One product of an order, with its name, price and commission frozen when the order was placed."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", null=True, on_delete=models.SET_NULL, related_name="+")
    vendor = models.ForeignKey("catalog.Vendor", null=True, on_delete=models.SET_NULL, related_name="+")
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=120, blank=True)
    sku = models.CharField(max_length=64, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.PositiveIntegerField()
    commission_rate_bp = models.PositiveIntegerField()
    line_total = models.PositiveIntegerField()
    restocked_quantity = models.PositiveIntegerField(
        _("returned to stock"), default=0, help_text=_("Units put back on the café's shelf (returned or not taken).")
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(restocked_quantity__lte=models.F("quantity")), name="order_line_restock_not_above_quantity"
            ),
            models.CheckConstraint(
                condition=Q(line_total=models.F("quantity") * models.F("unit_price")), name="order_line_total_adds_up"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"

    @property
    def restockable_quantity(self) -> int:
        return self.quantity - self.restocked_quantity


class OrderEventType(models.TextChoices):
    PLACED = "placed", _("Order placed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    FLAGGED = "flagged", _("Flagged for staff")
    REFUND_REQUESTED = "refund_requested", _("Refund")
    RESTOCKED = "restocked", _("Returned to stock")
    NOTE = "note", _("Note")


class OrderEvent(TimeStampedModel):
    """One line of an order's history: what changed, who did it and when (append-only)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20, choices=OrderEventType.choices)
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=300, blank=True)
    amount = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.type} {self.to_status}"


class SettlementStatus(models.TextChoices):
    CLOSED = "closed", _("Closed, to be paid")
    PAID = "paid", _("Paid")


class SettlementStatement(TimeStampedModel):
    """A UMKM's consignment settlement for one month, frozen when the month is closed, then marked paid.

    The figures and lines are copied from the ledger at closing; a return booked later falls into the
    month it happens in. The bank account is copied too, so the transfer goes where the statement said.
    """

    number = models.CharField(_("number"), max_length=32, unique=True)
    vendor = models.ForeignKey("catalog.Vendor", on_delete=models.PROTECT, related_name="settlement_statements")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    gross = models.BigIntegerField(_("sales"))
    commission = models.BigIntegerField(_("commission"))
    payout = models.BigIntegerField(_("payout"))
    lines = models.JSONField(default=list)
    bank_name = models.CharField(max_length=100, blank=True)
    bank_account_number = models.CharField(max_length=40, blank=True)
    bank_account_name = models.CharField(max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SettlementStatus.choices, default=SettlementStatus.CLOSED
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transfer_reference = models.CharField(_("transfer reference"), max_length=64, blank=True)

    class Meta:
        ordering = ["-period_start", "vendor__name"]
        verbose_name = _("settlement statement")
        verbose_name_plural = _("settlement statements")
        permissions = [("manage_settlement", "Can close months and mark settlements paid")]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "period_start"], name="settlement_one_per_vendor_and_month"),
            models.CheckConstraint(
                condition=Q(payout=models.F("gross") - models.F("commission")), name="settlement_adds_up"
            ),
            models.CheckConstraint(
                condition=Q(status="closed", paid_at__isnull=True) | Q(status="paid", paid_at__isnull=False),
                name="settlement_paid_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number
