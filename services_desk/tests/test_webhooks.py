"""Agency webhooks against a real HTTP server on 127.0.0.1: signatures, retries with backoff, no retry on 4xx."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services_desk.models import WebhookDelivery, WebhookStatus
from services_desk.services.requests import service_request_update_status
from services_desk.services.webhooks import webhook_backoff_seconds, webhook_signature

SECRET = "rahasia-dukcapil"


@pytest.fixture
def agency_server():
    """A real HTTP server that answers with the scripted status codes, recording every request."""
    received = []
    script = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"headers": dict(self.headers), "body": body})
            code = script.pop(0) if script else 200
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received, script
    server.shutdown()
    server.server_close()


@pytest.fixture
def hooked(dukcapil, agency_server):
    url, received, script = agency_server
    dukcapil.webhook_url, dukcapil.webhook_secret = url, SECRET
    dukcapil.save()
    return received, script


def _verify(entry) -> dict:
    headers = {k.lower(): v for k, v in entry["headers"].items()}
    expected = hmac.new(
        SECRET.encode(), headers["x-gemilang-timestamp"].encode() + b"." + entry["body"], hashlib.sha256
    ).hexdigest()
    assert headers["x-gemilang-signature"] == "sha256=" + expected
    return json.loads(entry["body"])


@pytest.mark.django_db
def test_signed_webhook_on_every_status_change(
    hooked, citizen_request, officer, counter, django_capture_on_commit_callbacks
):
    received, _script = hooked
    with django_capture_on_commit_callbacks(execute=True):
        service_request_update_status(request=citizen_request, status="verified", by=officer)
    body = _verify(received[-1])
    assert body["event"] == "service_request.status_changed"
    assert body["data"]["reference"] == citizen_request.reference
    assert (body["data"]["status"], body["data"]["previous_status"]) == ("verified", "submitted")
    # No personal data: neither the applicant's name nor their phone in any spelling (a bare "0812" could be
    # part of a timestamp such as 00:08:12, so the whole number is looked for).
    sent = received[-1]["body"].decode()
    assert "Siti" not in sent and "81234567890" not in sent
    delivery = WebhookDelivery.objects.order_by("-pk").first()
    assert (delivery.status, delivery.attempts) == (WebhookStatus.DELIVERED, 1)
    assert delivery.attempt_log.get().status_code == 200


@pytest.mark.django_db
def test_server_errors_are_retried_until_delivered(
    hooked, citizen_request, officer, counter, django_capture_on_commit_callbacks
):
    received, script = hooked
    script.extend([500, 503])
    before = len(received)
    with django_capture_on_commit_callbacks(execute=True):
        service_request_update_status(request=citizen_request, status="verified", by=officer)
    delivery = WebhookDelivery.objects.order_by("-pk").first()
    assert (delivery.status, delivery.attempts) == (WebhookStatus.DELIVERED, 3)
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [500, 503, 200]
    assert len(received) - before == 3
    # the same delivery id each time, so the agency can drop duplicates
    assert {r["headers"]["X-Gemilang-Delivery"] for r in received[before:]} == {str(delivery.pk)}


@pytest.mark.django_db
def test_client_errors_are_not_retried(hooked, citizen_request, officer, counter, django_capture_on_commit_callbacks):
    received, script = hooked
    script.append(410)
    before = len(received)
    with django_capture_on_commit_callbacks(execute=True):
        service_request_update_status(request=citizen_request, status="verified", by=officer)
    delivery = WebhookDelivery.objects.order_by("-pk").first()
    assert (delivery.status, delivery.attempts, len(received) - before) == (WebhookStatus.FAILED, 1, 1)


@pytest.mark.django_db
def test_gives_up_after_max_attempts_and_records_network_errors(
    dukcapil, citizen_request, officer, counter, django_capture_on_commit_callbacks, settings
):
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    dukcapil.webhook_url, dukcapil.webhook_secret = f"http://127.0.0.1:{port}/down", SECRET
    dukcapil.save()
    with django_capture_on_commit_callbacks(execute=True):
        service_request_update_status(request=citizen_request, status="verified", by=officer)
    delivery = WebhookDelivery.objects.order_by("-pk").first()
    assert (delivery.status, delivery.attempts) == (WebhookStatus.FAILED, settings.WEBHOOK_MAX_ATTEMPTS)
    assert all("ConnectionError" in e for e in delivery.attempt_log.values_list("error", flat=True))


@pytest.mark.django_db
def test_retry_sweep_sends_due_deliveries_once(hooked, dukcapil):
    from services_desk.services.webhooks import webhook_deliveries_retry_due, webhook_delivery_attempt

    received, _ = hooked
    delivery = WebhookDelivery.objects.create(agency=dukcapil, event="ping", url=dukcapil.webhook_url, payload={})
    assert webhook_deliveries_retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookStatus.DELIVERED and len(received) == 1
    assert webhook_delivery_attempt(delivery_id=delivery.pk) is None  # already delivered: not sent again
    assert len(received) == 1


def test_backoff_doubles_and_is_capped(settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 30
    assert [webhook_backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert webhook_backoff_seconds(20) == 3600


def test_signature_is_hmac_sha256_of_timestamp_and_body():
    assert (
        webhook_signature(secret="k", timestamp="1", body=b"{}") == hmac.new(b"k", b"1.{}", hashlib.sha256).hexdigest()
    )
