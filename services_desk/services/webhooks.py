"""Signed outgoing webhooks to agencies: HMAC-SHA256, retries with backoff, no retry on 4xx, every attempt kept."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Agency, WebhookAttempt, WebhookDelivery, WebhookStatus

SIGNATURE_HEADER = "X-Gemilang-Signature"
MAX_BACKOFF_SECONDS = 3600


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """Return the hex HMAC-SHA256 of `timestamp.body` with the agency's secret."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def webhook_backoff_seconds(attempt: int) -> int:
    """Seconds to wait after the given failed attempt (1-based): doubling, capped at an hour."""
    return min(MAX_BACKOFF_SECONDS, settings.WEBHOOK_BACKOFF_SECONDS * 2 ** max(0, attempt - 1))


def webhook_event_emit(*, agency: Agency, event: str, payload: dict) -> WebhookDelivery | None:
    """Record an event for the agency's webhook and send it after commit (nothing when no URL is set)."""
    if not agency.webhook_url:
        return None
    delivery = WebhookDelivery.objects.create(agency=agency, event=event, url=agency.webhook_url, payload=payload)
    transaction.on_commit(lambda: _send_later(delivery.pk))
    return delivery


def _send_later(delivery_id: int, countdown: int = 0) -> None:
    from ..tasks import webhook_deliver_task

    if countdown:
        webhook_deliver_task.apply_async(args=[delivery_id], countdown=countdown)
    else:
        webhook_deliver_task.delay(delivery_id)


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    """Take the delivery for one attempt so two workers never send it at the same time."""
    lease = now + datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 30)
    return bool(
        WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=lease)
    )


def webhook_delivery_attempt(*, delivery_id: int) -> str | None:
    """Send the delivery once. Return its new status, or None if it was not due or is taken elsewhere."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("agency").get(pk=delivery_id)
    body = json.dumps(
        {"id": delivery.pk, "event": delivery.event, "data": delivery.payload}, separators=(",", ":"), sort_keys=True
    ).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Gemilang-Webhooks/1",
        "X-Gemilang-Event": delivery.event,
        "X-Gemilang-Delivery": str(delivery.pk),
        "X-Gemilang-Timestamp": timestamp,
        SIGNATURE_HEADER: "sha256="
        + webhook_signature(secret=delivery.agency.webhook_secret, timestamp=timestamp, body=body),
    }
    started = time.monotonic()
    status_code, error = None, ""
    try:
        response = requests.post(
            delivery.url, data=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS, allow_redirects=False
        )
        status_code = response.status_code
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    duration_ms = int((time.monotonic() - started) * 1000)
    attempts = delivery.attempts + 1
    WebhookAttempt.objects.create(delivery=delivery, status_code=status_code, error=error, duration_ms=duration_ms)
    fields = {"attempts": attempts, "updated_at": timezone.now()}
    if status_code is not None and 200 <= status_code < 300:
        fields.update(status=WebhookStatus.DELIVERED, delivered_at=timezone.now(), next_attempt_at=None)
    elif status_code is not None and 400 <= status_code < 500:
        # The agency refused the request itself: sending it again would be refused again.
        fields.update(status=WebhookStatus.FAILED, next_attempt_at=None)
    elif attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        fields.update(status=WebhookStatus.FAILED, next_attempt_at=None)
    else:
        fields.update(next_attempt_at=timezone.now() + datetime.timedelta(seconds=webhook_backoff_seconds(attempts)))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    status = fields.get("status", WebhookStatus.PENDING)
    if status == WebhookStatus.PENDING:
        _send_later(delivery.pk, countdown=webhook_backoff_seconds(attempts))
    return status


def webhook_deliveries_retry_due(*, now: datetime.datetime | None = None) -> int:
    """Send again every pending delivery whose time has come (a safety net for lost countdowns)."""
    now = now or timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(status=WebhookStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)[:500]
    )
    for delivery_id in ids:
        _send_later(delivery_id)
    return len(ids)
