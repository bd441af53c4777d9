# ruff: noqa: N818  (domain refusals are named for what they mean, as in accounts.exceptions)
"""Refusals of the payments domain; each carries a code from `PaymentErrorCode`."""

from core.exceptions import DomainError

from .error_codes import PaymentErrorCode


class PaymentError(DomainError):
    code = PaymentErrorCode.INVALID


class InvalidAmount(PaymentError):
    code = PaymentErrorCode.INVALID_AMOUNT
    field = "amount"


class AmountMismatch(PaymentError):
    code = PaymentErrorCode.AMOUNT_MISMATCH
    field = "gross_amount"


class InvalidSignature(PaymentError):
    code = PaymentErrorCode.INVALID_SIGNATURE
    field = "signature_key"


class InvalidNotification(PaymentError):
    code = PaymentErrorCode.INVALID_NOTIFICATION


class PaymentNotFound(PaymentError):
    code = PaymentErrorCode.PAYMENT_NOT_FOUND
    field = "order_id"


class AlreadyPaid(PaymentError):
    code = PaymentErrorCode.ALREADY_PAID
    field = "reference"


class PaymentInProgress(PaymentError):
    code = PaymentErrorCode.PAYMENT_IN_PROGRESS
    field = "reference"


class NotCancellable(PaymentError):
    code = PaymentErrorCode.NOT_CANCELLABLE
    field = "payment"


class NotRefundable(PaymentError):
    code = PaymentErrorCode.NOT_REFUNDABLE
    field = "payment"


class RefundExceedsPaid(PaymentError):
    code = PaymentErrorCode.REFUND_EXCEEDS_PAID
    field = "amount"


class GatewayError(PaymentError):
    """Midtrans could not be used for this request (the base of the gateway refusals)."""

    code = PaymentErrorCode.GATEWAY_UNAVAILABLE


class GatewayUnavailable(GatewayError):
    """Midtrans did not answer, answered too late, or answered with a server error. Safe to try again later."""

    code = PaymentErrorCode.GATEWAY_UNAVAILABLE


class GatewayRejected(GatewayError):
    """Midtrans answered and refused the request (4xx)."""

    code = PaymentErrorCode.GATEWAY_REJECTED


class GatewayMisconfigured(GatewayError):
    """Midtrans refused our server key, or no key is configured."""

    code = PaymentErrorCode.GATEWAY_MISCONFIGURED
