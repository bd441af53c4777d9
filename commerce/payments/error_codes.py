from django.db import models


class PaymentErrorCode(models.TextChoices):
    INVALID = "invalid"
    INVALID_AMOUNT = "invalid_amount"
    AMOUNT_MISMATCH = "amount_mismatch"
    INVALID_SIGNATURE = "invalid_signature"
    INVALID_NOTIFICATION = "invalid_notification"
    PAYMENT_NOT_FOUND = "payment_not_found"
    ALREADY_PAID = "already_paid"
    PAYMENT_IN_PROGRESS = "payment_in_progress"
    NOT_CANCELLABLE = "not_cancellable"
    NOT_REFUNDABLE = "not_refundable"
    REFUND_EXCEEDS_PAID = "refund_exceeds_paid"
    GATEWAY_UNAVAILABLE = "gateway_unavailable"
    GATEWAY_REJECTED = "gateway_rejected"
    GATEWAY_MISCONFIGURED = "gateway_misconfigured"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
