"""What the simulator does: sign its tokens, record the shopper's choice, notify the app."""

from __future__ import annotations

import logging
import time
import uuid

import requests
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ..gateway_statuses import amount_to_gateway
from ..midtrans_client import midtrans_server_key
from ..midtrans_signature import signature_compute
from ..models import SimulatedTransaction

logger = logging.getLogger(__name__)

_SALT = "gemilang.payments.simulator"
STATUS_CODES = {
    "settlement": "200",
    "capture": "200",
    "pending": "201",
    "deny": "202",
    "cancel": "200",
    "expire": "407",
    "refund": "200",
    "partial_refund": "200",
}
FINAL = ("settlement", "capture", "deny", "cancel", "expire", "refund", "partial_refund")
PAYMENT_TYPES = ("qris", "gopay", "shopeepay", "bank_transfer", "credit_card")


def simulator_token_make(
    *, order_id: str, gross_amount: int, kind: str, expires_at: float, finish_url: str = ""
) -> str:
    return signing.dumps(
        {"o": order_id, "a": gross_amount, "k": kind, "e": int(expires_at), "f": finish_url}, salt=_SALT, compress=True
    )


def simulator_token_read(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and {"o", "a", "k", "e"} <= data.keys() else None


def simulator_transaction_id(order_id: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gemilang-simulator:{order_id}"))


def simulator_status_body(tx: SimulatedTransaction) -> dict:
    body = {
        "status_code": STATUS_CODES.get(tx.transaction_status, "200"),
        "status_message": "Success, transaction is found",
        "transaction_id": tx.transaction_id,
        "order_id": tx.order_id,
        "merchant_id": "SIMULATOR",
        "gross_amount": amount_to_gateway(tx.gross_amount),
        "currency": "IDR",
        "payment_type": tx.payment_type,
        "transaction_time": timezone.localtime(tx.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        "transaction_status": tx.transaction_status,
        "fraud_status": tx.fraud_status or "accept",
    }
    if tx.transaction_status in ("settlement", "refund", "partial_refund"):
        body["settlement_time"] = timezone.localtime(tx.updated_at).strftime("%Y-%m-%d %H:%M:%S")
    if tx.refunded_amount:
        body["refund_amount"] = amount_to_gateway(tx.refunded_amount)
    return body


def simulator_notification_body(tx: SimulatedTransaction) -> dict:
    body = simulator_status_body(tx)
    body["status_message"] = "midtrans payment notification"
    body["signature_key"] = signature_compute(
        order_id=body["order_id"],
        status_code=body["status_code"],
        gross_amount=body["gross_amount"],
        server_key=midtrans_server_key(),
    )
    return body


def simulator_notification_url() -> str:
    return settings.MIDTRANS_NOTIFICATION_URL or f"{settings.SITE_URL}{reverse('payments:midtrans-notification')}"


def _notify_after_commit(order_id: str) -> None:
    def send():
        from ..tasks import simulator_notify_task

        simulator_notify_task.delay(order_id)

    transaction.on_commit(send, robust=True)


@transaction.atomic
def simulator_transaction_decide(*, token_data: dict, outcome: str, payment_type: str) -> SimulatedTransaction:
    """Record the shopper's choice (pay / fail / expire) for a token's transaction and notify the app after commit."""
    order_id = token_data["o"]
    if payment_type not in PAYMENT_TYPES:
        payment_type = "qris"
    if token_data["k"] == "qris":
        payment_type = "qris"
    if token_data["e"] < time.time():
        outcome = "expire"
    status, fraud = {
        "pay": ("capture", "accept") if payment_type == "credit_card" else ("settlement", ""),
        "fail": ("deny", "deny") if payment_type == "credit_card" else ("deny", ""),
        "expire": ("expire", ""),
    }[outcome]
    tx, created = SimulatedTransaction.objects.select_for_update().get_or_create(
        order_id=order_id,
        defaults={
            "transaction_id": simulator_transaction_id(order_id),
            "payment_type": payment_type,
            "gross_amount": int(token_data["a"]),
            "transaction_status": status,
            "fraud_status": fraud,
        },
    )
    if not created:
        return tx  # decided already (or cancelled by the merchant): nothing changes
    _notify_after_commit(order_id)
    return tx


@transaction.atomic
def simulator_transaction_cancel(*, order_id: str) -> SimulatedTransaction | None:
    """Cancel at the merchant's request; None when nobody acted on it yet (Midtrans answers 404 then).

    Nothing is written for a transaction nobody acted on, so a caller holding a transaction
    (SQLite allows one writer) is never blocked; the pay page refuses a token whose payment
    the app has closed.
    """
    tx = SimulatedTransaction.objects.select_for_update().filter(order_id=order_id).first()
    if tx is None:
        return None
    if tx.transaction_status in ("pending", "capture"):
        tx.transaction_status = "cancel"
        tx.save(update_fields=["transaction_status", "updated_at"])
        _notify_after_commit(order_id)
    return tx


@transaction.atomic
def simulator_transaction_refund(
    *, order_id: str, amount: int, refund_key: str
) -> tuple[SimulatedTransaction | None, str]:
    """Refund like Midtrans: once per refund_key, never above the amount; return the record and an error status code."""
    tx = SimulatedTransaction.objects.select_for_update().filter(order_id=order_id).first()
    if tx is None:
        return None, "404"
    if refund_key in tx.refund_keys:
        return tx, ""
    if tx.transaction_status not in ("settlement", "capture", "partial_refund"):
        return tx, "412"
    if amount <= 0 or tx.refunded_amount + amount > tx.gross_amount:
        return tx, "413"
    tx.refund_keys[refund_key] = amount
    tx.refunded_amount += amount
    tx.transaction_status = "refund" if tx.refunded_amount == tx.gross_amount else "partial_refund"
    tx.save(update_fields=["refund_keys", "refunded_amount", "transaction_status", "updated_at"])
    _notify_after_commit(order_id)
    return tx, ""


def simulator_notify(*, order_id: str) -> bool:
    """POST the transaction's signed notification to the app, as Midtrans does; record the attempt."""
    tx = SimulatedTransaction.objects.filter(order_id=order_id).first()
    if tx is None:
        return False
    SimulatedTransaction.objects.filter(pk=tx.pk).update(notify_attempts=F("notify_attempts") + 1)
    try:
        response = requests.post(
            simulator_notification_url(),
            json=simulator_notification_body(tx),
            timeout=float(settings.MIDTRANS_TIMEOUT_SECONDS),
        )
        ok = response.status_code == 200
        error = "" if ok else f"HTTP {response.status_code}"
    except requests.RequestException as exc:
        ok, error = False, str(exc)[:300]
    if ok:
        SimulatedTransaction.objects.filter(pk=tx.pk).update(notified_at=timezone.now(), last_error="")
    else:
        logger.warning("Simulator notification for %s failed: %s", order_id, error)
        SimulatedTransaction.objects.filter(pk=tx.pk).update(last_error=error)
    return ok
