"""A real HTTP server on 127.0.0.1 that plays Midtrans in tests, and the `midtrans_server` fixture.

Other apps use it from their conftest::

    from commerce.payments.testing import midtrans_server  # noqa: F401

The fixture starts the server, points the payments wrapper at it (server key, Core API and
Snap base URLs, a short timeout, no retry back-off) and yields a `FakeMidtrans`:

- plays Snap create (`POST /snap/v1/transactions`), Core API charge (QRIS answers
  `qr_string` and a `generate-qr-code` action), status, cancel and refund;
- `fail_next(status=503, times=1)` answers the next requests with that HTTP status;
  `hang_next(times=1)` holds the next requests past the client's timeout;
- `settle(order_id)` / `set_status(order_id, "deny")` change what Midtrans knows;
  `notification(order_id, "settlement")` returns a correctly signed notification body;
- `requests` records every request as `(method, path, json_body, headers)`.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .gateway_statuses import amount_to_gateway
from .midtrans_signature import signature_compute

SERVER_KEY = "SB-Mid-server-TESTKEY-0123456789"
STATUS_CODES = {
    "settlement": "200",
    "capture": "200",
    "refund": "200",
    "partial_refund": "200",
    "cancel": "200",
    "pending": "201",
    "deny": "202",
    "expire": "407",
    "failure": "202",
    "chargeback": "200",
}


@dataclass
class RecordedRequest:
    method: str
    path: str
    body: dict | None
    headers: dict


@dataclass
class FakeTransaction:
    order_id: str
    gross_amount: int
    payment_type: str
    transaction_status: str = "pending"
    fraud_status: str = ""
    transaction_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    refunded: int = 0
    refund_keys: dict = field(default_factory=dict)


class FakeMidtrans:
    """The state and controls of the fake gateway (shared with the handler threads)."""

    def __init__(self, server_key: str = SERVER_KEY):
        self.server_key = server_key
        self.url = ""
        self.lock = threading.Lock()
        self.transactions: dict[str, FakeTransaction] = {}
        self.requests: list[RecordedRequest] = []
        self._failures: list[int] = []
        self._hangs = 0
        self.released = threading.Event()
        self.hang_seconds = 5.0

    # --- controls ---------------------------------------------------------------------------------

    def fail_next(self, status: int = 503, times: int = 1) -> None:
        with self.lock:
            self._failures.extend([status] * times)

    def hang_next(self, times: int = 1) -> None:
        with self.lock:
            self._hangs += times

    def set_status(
        self,
        order_id: str,
        transaction_status: str,
        *,
        fraud_status: str = "",
        gross_amount: int | None = None,
        payment_type: str | None = None,
    ) -> FakeTransaction:
        with self.lock:
            tx = self.transactions.get(order_id)
            if tx is None:
                tx = self.transactions[order_id] = FakeTransaction(order_id, gross_amount or 0, payment_type or "qris")
            tx.transaction_status = transaction_status
            tx.fraud_status = fraud_status
            if gross_amount is not None:
                tx.gross_amount = gross_amount
            if payment_type:
                tx.payment_type = payment_type
            return tx

    def settle(self, order_id: str) -> dict:
        self.set_status(order_id, "settlement", payment_type=None)
        return self.notification(order_id, "settlement")

    def requests_to(self, method: str, path_part: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and path_part in r.path]

    def notification(
        self,
        order_id: str,
        transaction_status: str,
        *,
        gross_amount: str | None = None,
        fraud_status: str = "",
        status_code: str | None = None,
        server_key: str | None = None,
        **extra,
    ) -> dict:
        """Return a notification body as Midtrans sends it, signed with the server key."""
        tx = self.transactions.get(order_id)
        amount = gross_amount if gross_amount is not None else amount_to_gateway(tx.gross_amount if tx else 0)
        code = status_code or STATUS_CODES.get(transaction_status, "200")
        body = {
            "transaction_time": "2026-12-03 20:00:00",
            "transaction_status": transaction_status,
            "transaction_id": tx.transaction_id if tx else str(uuid.uuid4()),
            "status_message": "midtrans payment notification",
            "status_code": code,
            "payment_type": tx.payment_type if tx else "qris",
            "order_id": order_id,
            "merchant_id": "G000000000",
            "gross_amount": amount,
            "fraud_status": fraud_status or "accept",
            "currency": "IDR",
        }
        if transaction_status == "settlement":
            body["settlement_time"] = "2026-12-03 20:00:05"
        body.update(extra)
        body["signature_key"] = signature_compute(
            order_id=order_id, status_code=code, gross_amount=amount, server_key=server_key or self.server_key
        )
        return body

    # --- answers ----------------------------------------------------------------------------------

    def _status_body(self, tx: FakeTransaction) -> dict:
        body = {
            "status_code": STATUS_CODES.get(tx.transaction_status, "200"),
            "status_message": "Success, transaction is found",
            "transaction_id": tx.transaction_id,
            "order_id": tx.order_id,
            "gross_amount": amount_to_gateway(tx.gross_amount),
            "currency": "IDR",
            "payment_type": tx.payment_type,
            "transaction_time": "2026-12-03 20:00:00",
            "transaction_status": tx.transaction_status,
            "fraud_status": tx.fraud_status or "accept",
        }
        if tx.transaction_status == "settlement":
            body["settlement_time"] = "2026-12-03 20:00:05"
        if tx.refunded:
            body["refund_amount"] = amount_to_gateway(tx.refunded)
        return body

    def answer(self, method: str, path: str, body: dict | None) -> tuple[int, dict]:
        if path == "/snap/v1/transactions" and method == "POST":
            order_id = body["transaction_details"]["order_id"]
            with self.lock:
                if order_id in self.transactions:
                    return 400, {"error_messages": ["transaction_details.order_id has already been taken"]}
                self.transactions[order_id] = FakeTransaction(
                    order_id, body["transaction_details"]["gross_amount"], "snap"
                )
            token = uuid.uuid4().hex
            return 201, {"token": token, "redirect_url": f"{self.url}/snap/v2/vtweb/{token}"}
        if path == "/v2/charge" and method == "POST":
            order_id = body["transaction_details"]["order_id"]
            with self.lock:
                if order_id in self.transactions:
                    return 200, {
                        "status_code": "406",
                        "status_message": "The request could not be completed due to a conflict",
                    }
                tx = self.transactions[order_id] = FakeTransaction(
                    order_id, body["transaction_details"]["gross_amount"], body["payment_type"]
                )
            return 200, {
                "status_code": "201",
                "status_message": "QRIS transaction is created",
                "transaction_id": tx.transaction_id,
                "order_id": order_id,
                "merchant_id": "G000000000",
                "gross_amount": amount_to_gateway(tx.gross_amount),
                "currency": "IDR",
                "payment_type": "qris",
                "transaction_time": "2026-12-03 20:00:00",
                "transaction_status": "pending",
                "fraud_status": "accept",
                "acquirer": body.get("qris", {}).get("acquirer", "gopay"),
                "qr_string": f"00020101021226620014COM.GO-JEK.WWW0118{order_id[:18]}5204581253033605802ID6304ABCD",
                "expiry_time": "2026-12-03 20:15:00",
                "actions": [
                    {
                        "name": "generate-qr-code",
                        "method": "GET",
                        "url": f"{self.url}/v2/qris/{tx.transaction_id}/qr-code",
                    }
                ],
            }
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "v2":
            order_id, action = parts[1], parts[2]
            tx = self.transactions.get(order_id)
            if tx is None:
                return 404, {"status_code": "404", "status_message": "Transaction doesn't exist."}
            if action == "status" and method == "GET":
                return 200, self._status_body(tx)
            if action == "cancel" and method == "POST":
                if tx.transaction_status in ("settlement", "refund", "partial_refund"):
                    return 200, {
                        "status_code": "412",
                        "status_message": "Merchant cannot modify the status of the transaction",
                    }
                tx.transaction_status = "cancel"
                return 200, self._status_body(tx)
            if action == "refund" and method == "POST":
                if tx.transaction_status not in ("settlement", "partial_refund"):
                    return 200, {
                        "status_code": "412",
                        "status_message": "Merchant cannot modify the status of the transaction",
                    }
                key = body.get("refund_key")
                if key not in tx.refund_keys:
                    if tx.refunded + int(body["amount"]) > tx.gross_amount:
                        return 200, {
                            "status_code": "413",
                            "status_message": "The request cannot be processed due to malformed syntax",
                        }
                    tx.refund_keys[key] = int(body["amount"])
                    tx.refunded += int(body["amount"])
                    tx.transaction_status = "refund" if tx.refunded == tx.gross_amount else "partial_refund"
                answer = self._status_body(tx)
                answer.update(
                    status_message="Success, refund request is approved",
                    refund_key=key,
                    refund_amount=amount_to_gateway(tx.refund_keys[key]),
                )
                return 200, answer
        return 404, {"status_code": "404", "status_message": "Not found"}


def _handler_class(fake: FakeMidtrans):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output clean
            pass

        def _handle(self, method: str):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            path = self.path.split("?", 1)[0]
            fake.requests.append(RecordedRequest(method, path, body, dict(self.headers)))
            with fake.lock:
                hang = fake._hangs > 0
                fake._hangs -= hang
                failure = fake._failures.pop(0) if fake._failures and not hang else None
            if hang:
                fake.released.wait(fake.hang_seconds)
                return self._send(504, {"status_code": "504", "status_message": "late"})
            if failure:
                return self._send(failure, {"status_code": str(failure), "status_message": "Internal Server Error"})
            expected = "Basic " + base64.b64encode(f"{fake.server_key}:".encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self._send(401, {"status_code": "401", "status_message": "Unknown Merchant server_key/id"})
            status, answer = fake.answer(method, path, body)
            self._send(status, answer)

        def _send(self, status: int, body: dict):
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

    return Handler


class FakeMidtransServer:
    def __init__(self, fake: FakeMidtrans):
        self.fake = fake
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(fake))
        self.httpd.daemon_threads = True
        fake.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeMidtrans:
        self.thread.start()
        return self.fake

    def __exit__(self, *exc):
        self.fake.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def midtrans_server(settings):
    """Start a fake Midtrans on 127.0.0.1 and point the payments wrapper at it."""
    with FakeMidtransServer(FakeMidtrans()) as fake:
        settings.MIDTRANS_SIMULATOR = False
        settings.MIDTRANS_SERVER_KEY = fake.server_key
        settings.MIDTRANS_CORE_BASE_URL = fake.url
        settings.MIDTRANS_SNAP_BASE_URL = f"{fake.url}/snap/v1"
        settings.MIDTRANS_TIMEOUT_SECONDS = 0.5
        settings.MIDTRANS_RETRY_BACKOFF_SECONDS = 0
        settings.MIDTRANS_NOTIFICATION_URL = ""
        yield fake
