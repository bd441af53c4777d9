"""Start, check, cancel and refund Midtrans payments.

These services talk to Midtrans over the network, so none holds a database
transaction (or a row lock) across that call: each step before and after the call
is its own atomic block with the payment rows of the reference locked in pk order.
Call them outside `transaction.atomic` so the first step is committed before
Midtrans is asked (on SQLite the built-in simulator, answering on this server,
needs to write too).
"""

from __future__ import annotations

import datetime
import logging
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_rupiah

from ..exceptions import (
    AlreadyPaid,
    AmountMismatch,
    GatewayError,
    GatewayRejected,
    InvalidAmount,
    NotCancellable,
    NotRefundable,
    PaymentError,
    PaymentInProgress,
    RefundExceedsPaid,
)
from ..gateway_statuses import amount_to_gateway
from ..midtrans_client import MidtransGateway
from ..models import (
    OPEN_STATUSES,
    SETTLED_STATUSES,
    Payment,
    PaymentFlagReason,
    PaymentMethod,
    PaymentPurpose,
    PaymentRefund,
    PaymentStatus,
    PaymentStatusChange,
    RefundStatus,
    StatusSource,
)
from .status import (
    _gateway_time,
    payment_gateway_state_apply,
    payment_lock,
    payment_status_set,
    payments_lock_reference,
)

logger = logging.getLogger(__name__)

MAX_AMOUNT = 999_999_999_999
QRIS_ACQUIRERS = ("gopay", "airpay shopee")
# How long after its expiry Midtrans may still report a payment; past it, "no such transaction" means expired.
EXPIRY_GRACE = datetime.timedelta(minutes=5)


def _amount_validate(amount, *, field: str = "amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidAmount(_("The amount must be a whole number of rupiah above zero."), field=field)
    return amount


def _purpose_reference_validate(purpose: str, reference: str) -> tuple[str, str]:
    if purpose not in PaymentPurpose.values:
        raise PaymentError(_("Unknown payment purpose."), field="purpose")
    reference = str(reference or "").strip()
    if not reference or len(reference) > 64:
        raise PaymentError(_("A payment needs the order number or sale id (at most 64 characters)."), field="reference")
    return purpose, reference


def _order_id_new(purpose: str, reference: str) -> str:
    """Return a fresh Midtrans order id (at most 50 characters of A-Z, a-z, 0-9 and '-')."""
    prefix = re.sub(r"[^A-Za-z0-9]", "", settings.MIDTRANS_ORDER_ID_PREFIX)[:8] or "GML"
    tag = "O" if purpose == PaymentPurpose.ORDER else "P"
    ref = re.sub(r"[^A-Za-z0-9]", "", reference)[:24]
    return f"{prefix}-{tag}-{ref}-{secrets.token_hex(4)}"


def _payments_overdue_sync(*, purpose: str, reference: str) -> None:
    """Ask Midtrans about the reference's open payments whose time is up, so a new attempt is not blocked by them."""
    overdue = Payment.objects.filter(
        purpose=purpose, reference=reference, status__in=OPEN_STATUSES, expires_at__lt=timezone.now() - EXPIRY_GRACE
    )
    for payment in overdue:
        try:
            _payment_status_sync(payment, source=StatusSource.RECONCILE)
        except GatewayError as exc:
            logger.warning("Could not check overdue payment %s: %s", payment.midtrans_order_id, exc.message)


def _payment_open(*, purpose, reference, method, gross_amount, expires_at) -> tuple[Payment, bool]:
    """Return the reference's usable open payment, or a new pending one; refuse a paid or busy reference."""
    _payments_overdue_sync(purpose=purpose, reference=reference)
    with transaction.atomic():
        siblings = payments_lock_reference(purpose=purpose, reference=reference)
        if any(p.status in SETTLED_STATUSES and p.flag_reason != PaymentFlagReason.DUPLICATE_PAYMENT for p in siblings):
            raise AlreadyPaid(_("This has already been paid."))
        now = timezone.now()
        for existing in siblings:
            if existing.status not in OPEN_STATUSES:
                continue
            usable = (
                existing.method == method
                and existing.gross_amount == gross_amount
                and (existing.expires_at is None or existing.expires_at > now)
                and (existing.redirect_url or existing.qr_string)
            )
            if usable:
                return existing, False
            raise PaymentInProgress(
                _("A payment of %(amount)s for this is still open at Midtrans. Cancel it or wait until it expires.")
                % {"amount": format_rupiah(existing.gross_amount)}
            )
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    purpose=purpose,
                    reference=reference,
                    midtrans_order_id=_order_id_new(purpose, reference),
                    method=method,
                    gross_amount=gross_amount,
                    expires_at=expires_at,
                )
        except IntegrityError:
            # Another request opened a payment for this reference at the same moment.
            raise PaymentInProgress(_("A payment for this is being started. Please wait a moment.")) from None
        PaymentStatusChange.objects.create(payment=payment, to_status=PaymentStatus.PENDING, source=StatusSource.START)
    return payment, True


def _payment_start_failed(payment: Payment, error: GatewayError) -> None:
    """Close a payment Midtrans never confirmed: nobody can pay it, so no handler is told."""
    with transaction.atomic():
        payment, _siblings = payment_lock(payment_id=payment.pk)
        payment.last_error = error.message[:300]
        if payment.status == PaymentStatus.PENDING:
            payment_status_set(
                payment, to_status=PaymentStatus.FAILED, source=StatusSource.START, note=error.code, dispatch=False
            )
        else:
            payment.save(update_fields=["last_error", "updated_at"])


def _items_validate(items: list[dict] | None, gross_amount: int) -> list[dict] | None:
    if not items:
        return None
    cleaned = []
    for index, item in enumerate(items):
        try:
            price = item["price"]
            quantity = item["quantity"]
            name = str(item["name"])
        except (KeyError, TypeError):
            raise PaymentError(_("Each item needs a name, a price and a quantity."), field="items") from None
        if (
            isinstance(price, bool)
            or not isinstance(price, int)
            or isinstance(quantity, bool)
            or not isinstance(quantity, int)
            or quantity <= 0
        ):
            raise PaymentError(_("Item prices and quantities must be whole numbers."), field="items")
        cleaned.append(
            {"id": str(item.get("id") or index + 1)[:50], "name": name[:50], "price": price, "quantity": quantity}
        )
    total = sum(i["price"] * i["quantity"] for i in cleaned)
    if total != gross_amount:
        raise AmountMismatch(
            _("The items add up to %(items)s but the amount to pay is %(amount)s.")
            % {"items": format_rupiah(total), "amount": format_rupiah(gross_amount)},
            field="items",
        )
    return cleaned


def _minutes_validate(value, *, default: int, field: str) -> int:
    minutes = default if value is None else value
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 7 * 24 * 60:
        raise PaymentError(_("The payment time must be between 1 minute and 7 days."), field=field)
    return minutes


def payment_start_snap(
    *,
    purpose: str,
    reference: str,
    gross_amount: int,
    customer_name: str = "",
    phone: str = "",
    email: str = "",
    items: list[dict] | None = None,
    expiry_minutes: int | None = None,
    finish_url: str = "",
) -> Payment:
    """Open a Midtrans Snap payment (QRIS, e-wallets, VA, cards) and return it with its token and redirect URL.

    Starting again for the same reference and amount returns the open payment.
    """
    purpose, reference = _purpose_reference_validate(purpose, reference)
    gross_amount = _amount_validate(gross_amount, field="gross_amount")
    item_details = _items_validate(items, gross_amount)
    minutes = _minutes_validate(expiry_minutes, default=settings.PAYMENT_SNAP_EXPIRY_MINUTES, field="expiry_minutes")
    payment, created = _payment_open(
        purpose=purpose,
        reference=reference,
        method=PaymentMethod.SNAP,
        gross_amount=gross_amount,
        expires_at=timezone.now() + datetime.timedelta(minutes=minutes),
    )
    if not created:
        return payment
    parameters: dict = {
        "transaction_details": {"order_id": payment.midtrans_order_id, "gross_amount": gross_amount},
        "expiry": {"unit": "minutes", "duration": minutes},
    }
    if item_details:
        parameters["item_details"] = item_details
    customer = {
        k: v for k, v in {"first_name": customer_name[:50], "phone": phone[:20], "email": email[:100]}.items() if v
    }
    if customer:
        parameters["customer_details"] = customer
    if finish_url:
        parameters["callbacks"] = {"finish": finish_url}
    gateway = MidtransGateway()
    try:
        answer = gateway.snap_create(parameters)
    except GatewayError as exc:
        _payment_start_failed(payment, exc)
        raise
    finally:
        gateway.close()
    Payment.objects.filter(pk=payment.pk).update(
        snap_token=str(answer["token"])[:100], redirect_url=str(answer["redirect_url"])[:500], updated_at=timezone.now()
    )
    payment.refresh_from_db()
    return payment


def payment_start_qris(*, purpose: str, reference: str, gross_amount: int, acquirer: str = "gopay") -> Payment:
    """Charge with a dynamic QRIS through the Core API; return the payment with `qr_string` to show."""
    purpose, reference = _purpose_reference_validate(purpose, reference)
    gross_amount = _amount_validate(gross_amount, field="gross_amount")
    if acquirer not in QRIS_ACQUIRERS:
        raise PaymentError(_("Unknown QRIS acquirer."), field="acquirer")
    minutes = _minutes_validate(None, default=settings.PAYMENT_QRIS_EXPIRY_MINUTES, field="expiry_minutes")
    payment, created = _payment_open(
        purpose=purpose,
        reference=reference,
        method=PaymentMethod.QRIS,
        gross_amount=gross_amount,
        expires_at=timezone.now() + datetime.timedelta(minutes=minutes),
    )
    if not created:
        return payment
    parameters = {
        "payment_type": "qris",
        "transaction_details": {"order_id": payment.midtrans_order_id, "gross_amount": gross_amount},
        "qris": {"acquirer": acquirer},
        "custom_expiry": {"expiry_duration": minutes, "unit": "minute"},
    }
    gateway = MidtransGateway()
    try:
        answer = gateway.qris_charge(parameters)
    except GatewayError as exc:
        _payment_start_failed(payment, exc)
        raise
    finally:
        gateway.close()
    qr_image_url = next(
        (
            a.get("url", "")
            for a in answer.get("actions") or []
            if isinstance(a, dict) and a.get("name") == "generate-qr-code"
        ),
        "",
    )
    Payment.objects.filter(pk=payment.pk).update(
        qr_string=str(answer["qr_string"]),
        qr_image_url=str(qr_image_url)[:500],
        transaction_id=str(answer.get("transaction_id") or "")[:64],
        payment_type="qris",
        acquirer=acquirer,
        expires_at=_gateway_time(answer.get("expiry_time")) or payment.expires_at,
        updated_at=timezone.now(),
    )
    payment.refresh_from_db()
    return payment


def _payment_status_sync(payment: Payment, *, source: str) -> Payment:
    gateway = MidtransGateway()
    try:
        answer = gateway.status(payment.midtrans_order_id)
    finally:
        gateway.close()
    if answer is not None:
        payment, _outcome = payment_gateway_state_apply(payment_id=payment.pk, answer=answer, source=source)
        return payment
    # Midtrans has no transaction (a Snap page where no method was chosen, or a QR never scanned).
    with transaction.atomic():
        payment, _siblings = payment_lock(payment_id=payment.pk)
        now = timezone.now()
        payment.last_checked_at = now
        if payment.status in OPEN_STATUSES and payment.expires_at and payment.expires_at + EXPIRY_GRACE < now:
            payment_status_set(
                payment,
                to_status=PaymentStatus.EXPIRED,
                source=source,
                note="Midtrans has no transaction and its time is up",
            )
        else:
            payment.save(update_fields=["last_checked_at", "updated_at"])
    return payment


def payment_check_status(*, payment: Payment) -> Payment:
    """Ask Midtrans' Status API for the payment now, apply the answer and return the payment."""
    return _payment_status_sync(payment, source=StatusSource.STATUS_API)


def payment_cancel(*, payment: Payment) -> Payment:
    """Cancel a payment that is still open (e.g. a QRIS the customer did not scan). Idempotent."""
    payment = Payment.objects.get(pk=payment.pk)
    if payment.status in (PaymentStatus.CANCELLED, PaymentStatus.EXPIRED, PaymentStatus.FAILED):
        return payment
    if payment.status not in OPEN_STATUSES:
        raise NotCancellable(_("This payment is already paid; refund it instead."))
    gateway = MidtransGateway()
    try:
        answer = gateway.cancel(payment.midtrans_order_id)
    except GatewayRejected:
        # Midtrans refuses to cancel what it has already settled: learn what happened.
        payment = _payment_status_sync(payment, source=StatusSource.CANCEL)
        if payment.status in SETTLED_STATUSES:
            raise NotCancellable(_("The customer has just paid; refund the payment instead.")) from None
        raise
    finally:
        gateway.close()
    if answer is not None:
        payment, _outcome = payment_gateway_state_apply(
            payment_id=payment.pk, answer=answer, source=StatusSource.CANCEL
        )
    else:
        with transaction.atomic():
            payment, _siblings = payment_lock(payment_id=payment.pk)
            if payment.status in OPEN_STATUSES:
                payment_status_set(
                    payment,
                    to_status=PaymentStatus.CANCELLED,
                    source=StatusSource.CANCEL,
                    note="no transaction at Midtrans",
                )
    if payment.status in SETTLED_STATUSES:
        raise NotCancellable(_("The customer has just paid; refund the payment instead."))
    return payment


def payment_refund(*, payment: Payment, amount: int, reason: str, user=None) -> Payment:
    """Refund all or part of a paid payment through Midtrans; never more than was paid, even when retried."""
    amount = _amount_validate(amount)
    reason = str(reason or "").strip()
    if not reason:
        raise PaymentError(_("Give a reason for the refund."), field="reason")
    with transaction.atomic():
        payment, _siblings = payment_lock(payment_id=payment.pk)
        if payment.status not in SETTLED_STATUSES:
            raise NotRefundable(_("Only a paid payment can be refunded."))
        if amount > payment.refundable_amount:
            raise RefundExceedsPaid(
                _("At most %(amount)s of this payment can still be refunded.")
                % {"amount": format_rupiah(max(payment.refundable_amount, 0))}
            )
        refund = PaymentRefund.objects.create(
            payment=payment,
            amount=amount,
            reason=reason[:200],
            refund_key=f"{payment.midtrans_order_id}-R{secrets.token_hex(4)}",
            requested_by=user if getattr(user, "is_authenticated", False) else None,
        )
        Payment.objects.filter(pk=payment.pk).update(refund_reserved_amount=F("refund_reserved_amount") + amount)
    gateway = MidtransGateway()
    try:
        answer = gateway.refund(payment.midtrans_order_id, amount=amount, reason=reason, refund_key=refund.refund_key)
    except GatewayError as exc:
        with transaction.atomic():
            PaymentRefund.objects.filter(pk=refund.pk).update(status=RefundStatus.FAILED, error=exc.message[:300])
            Payment.objects.filter(pk=payment.pk).update(refund_reserved_amount=F("refund_reserved_amount") - amount)
        raise
    finally:
        gateway.close()
    with transaction.atomic():
        payment, _siblings = payment_lock(payment_id=payment.pk)
        PaymentRefund.objects.filter(pk=refund.pk).update(status=RefundStatus.SUCCEEDED, gateway_response=answer)
        succeeded = sum(
            PaymentRefund.objects.filter(payment=payment, status=RefundStatus.SUCCEEDED).values_list(
                "amount", flat=True
            )
        )
        payment.refund_reserved_amount -= amount
        payment.refunded_amount = min(payment.gross_amount, max(payment.refunded_amount, succeeded))
        to_status = (
            PaymentStatus.REFUNDED
            if payment.refunded_amount >= payment.gross_amount
            else PaymentStatus.PARTIALLY_REFUNDED
        )
        if to_status != payment.status:
            payment_status_set(
                payment,
                to_status=to_status,
                source=StatusSource.REFUND,
                note=f"{amount_to_gateway(amount)}: {reason}"[:300],
            )
        else:
            payment.save()
    return payment
