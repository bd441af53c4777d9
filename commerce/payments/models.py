"""The payment ledger: one `Payment` per Midtrans transaction, its status history,
every notification received (raw body kept), refunds, and the simulator's own records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class PaymentPurpose(models.TextChoices):
    ORDER = "order", _("Online order")
    POS_SALE = "pos_sale", _("POS sale")


class PaymentMethod(models.TextChoices):
    SNAP = "snap", _("Midtrans Snap")
    QRIS = "qris", _("QRIS")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CHALLENGE = "challenge", _("Under fraud review")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Payment time expired")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    CHARGEBACK = "chargeback", _("Chargeback")


# Statuses in which money may still arrive: at most one such payment per reference.
OPEN_STATUSES = (PaymentStatus.PENDING, PaymentStatus.CHALLENGE)
# Statuses in which the money of the payment is (at least partly) with the merchant.
SETTLED_STATUSES = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED)


class PaymentFlagReason(models.TextChoices):
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount differs from the payment")
    DUPLICATE_PAYMENT = "duplicate_payment", _("Second payment for the same order or sale")
    PAID_AFTER_CLOSED = "paid_after_closed", _("Paid after it was cancelled, expired or failed")
    REVERSED = "reversed", _("Paid, then denied by Midtrans")
    CHARGEBACK = "chargeback", _("Chargeback by the customer's bank")


class StatusSource(models.TextChoices):
    START = "start", _("Payment started")
    NOTIFICATION = "notification", _("Midtrans notification")
    STATUS_API = "status_api", _("Midtrans status check")
    CANCEL = "cancel", _("Cancelled by staff")
    REFUND = "refund", _("Refund")
    RECONCILE = "reconcile", _("Periodic reconciliation")


class Payment(TimeStampedModel):
    """One Midtrans transaction (Snap or QRIS) paying an order or a POS sale."""

    purpose = models.CharField(_("purpose"), max_length=16, choices=PaymentPurpose.choices)
    reference = models.CharField(
        _("reference"), max_length=64, help_text=_("The order number or the POS sale's client id.")
    )
    midtrans_order_id = models.CharField(_("Midtrans order id"), max_length=50, unique=True)
    method = models.CharField(_("method"), max_length=8, choices=PaymentMethod.choices)
    gross_amount = models.PositiveBigIntegerField(_("amount"))
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    transaction_id = models.CharField(_("Midtrans transaction id"), max_length=64, blank=True)
    payment_type = models.CharField(
        _("paid with"),
        max_length=32,
        blank=True,
        help_text=_("As Midtrans reports it, e.g. qris, gopay, bank_transfer."),
    )
    fraud_status = models.CharField(max_length=16, blank=True)
    snap_token = models.CharField(max_length=100, blank=True)
    redirect_url = models.URLField(max_length=500, blank=True)
    qr_string = models.TextField(blank=True)
    qr_image_url = models.URLField(max_length=500, blank=True)
    acquirer = models.CharField(max_length=20, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    refunded_amount = models.PositiveBigIntegerField(_("refunded"), default=0)
    refund_reserved_amount = models.PositiveBigIntegerField(
        default=0, help_text=_("Refunds sent to Midtrans and not answered yet.")
    )
    flagged = models.BooleanField(_("flagged for staff"), default=False)
    flag_reason = models.CharField(_("flag reason"), max_length=24, choices=PaymentFlagReason.choices, blank=True)
    flag_detail = models.CharField(_("flag detail"), max_length=300, blank=True)
    flag_resolved_at = models.DateTimeField(null=True, blank=True)
    flag_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flag_resolution_note = models.CharField(max_length=300, blank=True)
    last_checked_at = models.DateTimeField(_("last checked with Midtrans"), null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [
            models.Index(fields=["purpose", "reference"], name="payment_reference_idx"),
            models.Index(fields=["status", "created_at"], name="payment_status_created_idx"),
            models.Index(fields=["flagged", "flag_resolved_at"], name="payment_flagged_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(gross_amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=F("gross_amount")), name="payment_refund_not_above_amount"
            ),
            models.UniqueConstraint(
                fields=["purpose", "reference"],
                condition=Q(status__in=["pending", "challenge"]),
                name="payment_one_open_per_reference",
            ),
        ]
        permissions = [
            ("check_payment_status", "Can ask Midtrans for a payment's status"),
            ("review_flagged_payment", "Can review and resolve flagged payments"),
            ("refund_payment", "Can refund a payment through Midtrans"),
        ]

    def __str__(self) -> str:
        return f"{self.midtrans_order_id} ({self.status})"

    @property
    def refundable_amount(self) -> int:
        return self.gross_amount - self.refunded_amount - self.refund_reserved_amount

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class PaymentStatusChange(TimeStampedModel):
    """One step of a payment's status history: from, to, what caused it."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=PaymentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PaymentStatus.choices)
    source = models.CharField(max_length=16, choices=StatusSource.choices)
    note = models.CharField(max_length=300, blank=True)
    notification = models.ForeignKey(
        "PaymentNotification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payment status change")
        verbose_name_plural = _("payment status changes")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class NotificationOutcome(models.TextChoices):
    RECEIVED = "received", _("Received")
    APPLIED = "applied", _("Applied")
    DUPLICATE = "duplicate", _("Duplicate (nothing new)")
    STALE = "stale", _("Out of date (ignored)")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount differs (flagged)")
    UNKNOWN_ORDER = "unknown_order", _("Unknown order id")


class PaymentNotification(TimeStampedModel):
    """An HTTP notification from Midtrans whose signature was valid, kept as received."""

    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications")
    order_id = models.CharField(max_length=64, db_index=True)
    transaction_status = models.CharField(max_length=32)
    fraud_status = models.CharField(max_length=16, blank=True)
    status_code = models.CharField(max_length=8)
    gross_amount = models.CharField(max_length=32)
    body = models.JSONField()
    outcome = models.CharField(max_length=16, choices=NotificationOutcome.choices, default=NotificationOutcome.RECEIVED)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Midtrans notification")
        verbose_name_plural = _("Midtrans notifications")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.transaction_status} ({self.outcome})"


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Sent to Midtrans")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Failed")


class PaymentRefund(TimeStampedModel):
    """A refund asked of Midtrans; its `refund_key` makes a retried request harmless."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("amount"))
    reason = models.CharField(_("reason"), max_length=200)
    refund_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=RefundStatus.choices, default=RefundStatus.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.CharField(max_length=300, blank=True)
    gateway_response = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.refund_key} {self.amount} ({self.status})"


class SimulatedTransaction(TimeStampedModel):
    """The built-in Midtrans simulator's record of a transaction the shopper acted on."""

    order_id = models.CharField(max_length=50, unique=True)
    transaction_id = models.CharField(max_length=64, unique=True)
    payment_type = models.CharField(max_length=32)
    gross_amount = models.PositiveBigIntegerField()
    transaction_status = models.CharField(max_length=32)
    fraud_status = models.CharField(max_length=16, blank=True)
    refunded_amount = models.PositiveBigIntegerField(default=0)
    refund_keys = models.JSONField(default=dict, blank=True)
    notify_attempts = models.PositiveIntegerField(default=0)
    notified_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.transaction_status}"
