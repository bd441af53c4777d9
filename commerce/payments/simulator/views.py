"""The simulator's HTTP side: Midtrans-shaped API endpoints and the shopper's pay page."""

from __future__ import annotations

import base64
import datetime
import hmac
import io
import json
import time
from functools import wraps
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..midtrans_client import midtrans_server_key, simulator_enabled
from ..models import Payment, PaymentStatus, SimulatedTransaction
from .services import (
    FINAL,
    PAYMENT_TYPES,
    simulator_notify,
    simulator_status_body,
    simulator_token_make,
    simulator_token_read,
    simulator_transaction_cancel,
    simulator_transaction_decide,
    simulator_transaction_id,
    simulator_transaction_refund,
)

CLOSED_BY_SHOP = (PaymentStatus.CANCELLED, PaymentStatus.EXPIRED, PaymentStatus.FAILED)


def _error(status_code: int, message: str, *, http_status: int = 200) -> JsonResponse:
    return JsonResponse({"status_code": str(status_code), "status_message": message}, status=http_status)


def simulator_api(view):
    """Serve only with the simulator on, and only to callers with the server key (HTTP basic auth)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not simulator_enabled():
            raise Http404
        expected = "Basic " + base64.b64encode(f"{midtrans_server_key()}:".encode()).decode()
        if not hmac.compare_digest(request.headers.get("Authorization", ""), expected):
            return _error(401, "Unknown Merchant server_key/id", http_status=401)
        return view(request, *args, **kwargs)

    return wrapped


def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _transaction_details(body: dict) -> tuple[str, int] | None:
    details = body.get("transaction_details") or {}
    order_id, amount = details.get("order_id"), details.get("gross_amount")
    if not isinstance(order_id, str) or not order_id or len(order_id) > 50:
        return None
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        return None
    return order_id, amount


def _pay_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("payments:simulator-pay", args=[token]))


@simulator_api
@require_POST
def snap_create(request):
    body = _json_body(request)
    details = _transaction_details(body or {})
    if details is None:
        return JsonResponse(
            {"error_messages": ["transaction_details.order_id and gross_amount are required"]}, status=400
        )
    order_id, amount = details
    if SimulatedTransaction.objects.filter(order_id=order_id).exists():
        return JsonResponse({"error_messages": ["transaction_details.order_id has already been taken"]}, status=400)
    minutes = int((body.get("expiry") or {}).get("duration") or 24 * 60)
    finish = str((body.get("callbacks") or {}).get("finish") or "")
    token = simulator_token_make(
        order_id=order_id, gross_amount=amount, kind="snap", expires_at=time.time() + minutes * 60, finish_url=finish
    )
    return JsonResponse({"token": token, "redirect_url": _pay_url(request, token)}, status=201)


@simulator_api
@require_POST
def core_charge(request):
    body = _json_body(request)
    details = _transaction_details(body or {})
    if details is None:
        return _error(400, "transaction_details is required")
    if body.get("payment_type") != "qris":
        return _error(400, "The simulator charges only payment_type qris")
    order_id, amount = details
    if SimulatedTransaction.objects.filter(order_id=order_id).exists():
        return _error(406, "The request could not be completed due to a conflict")
    minutes = int((body.get("custom_expiry") or {}).get("expiry_duration") or 15)
    expires = time.time() + minutes * 60
    token = simulator_token_make(order_id=order_id, gross_amount=amount, kind="qris", expires_at=expires)
    pay_url = _pay_url(request, token)
    now = timezone.localtime()
    return JsonResponse(
        {
            "status_code": "201",
            "status_message": "QRIS transaction is created",
            "transaction_id": simulator_transaction_id(order_id),
            "order_id": order_id,
            "merchant_id": "SIMULATOR",
            "gross_amount": f"{amount}.00",
            "currency": "IDR",
            "payment_type": "qris",
            "transaction_time": now.strftime("%Y-%m-%d %H:%M:%S"),
            "transaction_status": "pending",
            "fraud_status": "accept",
            "acquirer": (body.get("qris") or {}).get("acquirer", "gopay"),
            # A phone camera that scans this code opens the simulator's pay page.
            "qr_string": pay_url,
            "expiry_time": timezone.localtime(now + datetime.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S"),
            "actions": [
                {
                    "name": "generate-qr-code",
                    "method": "GET",
                    "url": request.build_absolute_uri(reverse("payments:simulator-qr", args=[token])),
                }
            ],
        }
    )


def _found(order_id: str) -> SimulatedTransaction | None:
    return SimulatedTransaction.objects.filter(order_id=order_id).first()


@simulator_api
@require_GET
def core_status(request, order_id: str):
    tx = _found(order_id)
    if tx is None:
        return _error(404, "Transaction doesn't exist.", http_status=404)
    return JsonResponse(simulator_status_body(tx))


@simulator_api
@require_POST
def core_cancel(request, order_id: str):
    tx = simulator_transaction_cancel(order_id=order_id)
    if tx is None:
        return _error(404, "Transaction doesn't exist.", http_status=404)
    if tx.transaction_status != "cancel":
        return _error(412, "Merchant cannot modify the status of the transaction")
    return JsonResponse(simulator_status_body(tx) | {"status_message": "Success, transaction is canceled"})


@simulator_api
@require_POST
def core_refund(request, order_id: str):
    body = _json_body(request) or {}
    amount = body.get("amount")
    key = str(body.get("refund_key") or "")[:64]
    if isinstance(amount, bool) or not isinstance(amount, int) or not key:
        return _error(400, "amount and refund_key are required")
    tx, error = simulator_transaction_refund(order_id=order_id, amount=amount, refund_key=key)
    if error == "404":
        return _error(404, "Transaction doesn't exist.", http_status=404)
    if error:
        return _error(int(error), "Merchant cannot modify the status of the transaction")
    answer = simulator_status_body(tx)
    answer.update(
        status_message="Success, refund request is approved", refund_key=key, refund_amount=f"{tx.refund_keys[key]}.00"
    )
    return JsonResponse(answer)


def _token_or_404(token: str) -> dict:
    if not simulator_enabled():
        raise Http404
    data = simulator_token_read(token)
    if data is None:
        raise Http404
    return data


@require_http_methods(["GET", "POST"])
def pay_page(request, token: str):
    """The shopper's page: pay, fail or let expire (Snap), or pay the QR (QRIS)."""
    data = _token_or_404(token)
    tx = SimulatedTransaction.objects.filter(order_id=data["o"]).first()
    payment = Payment.objects.filter(midtrans_order_id=data["o"]).only("status").first()
    # The app closed the payment before anyone acted on it (cancelled QR, lapsed order).
    closed_by_shop = tx is None and payment is not None and payment.status in CLOSED_BY_SHOP
    if request.method == "POST":
        if request.POST.get("action") == "resend" and tx is not None:
            simulator_notify(order_id=tx.order_id)
            return redirect(request.path)
        outcome = request.POST.get("action")
        if outcome not in ("pay", "fail", "expire") or closed_by_shop:
            return redirect(request.path)
        tx = simulator_transaction_decide(
            token_data=data, outcome=outcome, payment_type=request.POST.get("payment_type", "qris")
        )
        return redirect(_finish_url(data, tx))
    decided_status = tx.transaction_status if tx is not None else ("cancel" if closed_by_shop else "")
    return render(
        request,
        "payments/simulator_pay.html",
        {
            "token": token,
            "order_id": data["o"],
            "amount": data["a"],
            "kind": data["k"],
            "expires_at": datetime.datetime.fromtimestamp(data["e"], tz=datetime.UTC),
            "expired": data["e"] < time.time(),
            "transaction": tx,
            "decided_status": decided_status if decided_status in FINAL else "",
            "payment_types": PAYMENT_TYPES,
            "finish_url": _finish_url(data, tx) if tx is not None else "",
        },
    )


def _finish_url(data: dict, tx: SimulatedTransaction | None) -> str:
    if data.get("f"):
        query = {"order_id": data["o"]}
        if tx is not None:
            query |= {
                "status_code": "200" if tx.transaction_status == "settlement" else "202",
                "transaction_status": tx.transaction_status,
            }
        separator = "&" if "?" in data["f"] else "?"
        return f"{data['f']}{separator}{urlencode(query)}"
    return reverse("payments:status", args=[data["o"]])


@require_GET
def qr_image(request, token: str):
    """The QR of a simulated QRIS charge (the `generate-qr-code` action): it opens the pay page."""
    _token_or_404(token)
    image = qrcode.make(_pay_url(request, token), image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
