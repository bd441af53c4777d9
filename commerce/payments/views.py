"""HTTP endpoints of the payments app: Midtrans' notification, the payment status page, flagged payments."""

from __future__ import annotations

import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .exceptions import GatewayError, InvalidNotification, InvalidSignature, PaymentError, PaymentNotFound
from .services import payment_check_status, payment_flag_resolve, payment_notification_handle

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def midtrans_notification(request):
    """Receive Midtrans' HTTP notification: 200 when handled or ignored, 403 on a bad signature, 400 on garbage."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"status": "error", "code": "invalid_notification"}, status=400)
    try:
        payment_notification_handle(body=body)
    except InvalidSignature as exc:
        return JsonResponse({"status": "error", "code": exc.code}, status=403)
    except InvalidNotification as exc:
        return JsonResponse({"status": "error", "code": exc.code}, status=400)
    except PaymentNotFound:
        return JsonResponse({"status": "ignored"})
    return JsonResponse({"status": "ok"})


@require_GET
def payment_status_page(request, midtrans_order_id: str):
    """Where Snap sends the shopper back when no finish URL was given: the payment's state, nothing personal."""
    payment = get_object_or_404(selectors.payments_all(), midtrans_order_id=midtrans_order_id)
    return render(request, "payments/payment_status.html", {"payment": payment})


@permission_required("payments.review_flagged_payment", raise_exception=True)
@require_GET
def flagged_list(request):
    show_resolved = request.GET.get("resolved") == "1"
    page = Paginator(selectors.payments_flagged(resolved=show_resolved), 50).get_page(request.GET.get("page"))
    return render(request, "payments/flagged_list.html", {"page": page, "show_resolved": show_resolved})


@permission_required("payments.review_flagged_payment", raise_exception=True)
@require_POST
def flagged_resolve(request, pk: int):
    payment = get_object_or_404(selectors.payments_all(), pk=pk, flagged=True)
    try:
        payment_flag_resolve(payment=payment, user=request.user, note=request.POST.get("note", ""))
    except PaymentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Payment %(order_id)s marked as dealt with.") % {"order_id": payment.midtrans_order_id}
        )
    return redirect("payments:flagged")


@permission_required("payments.check_payment_status", raise_exception=True)
@require_POST
def check_status(request, pk: int):
    payment = get_object_or_404(selectors.payments_all(), pk=pk)
    try:
        payment = payment_check_status(payment=payment)
    except GatewayError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Midtrans says %(order_id)s is: %(status)s.")
            % {"order_id": payment.midtrans_order_id, "status": payment.get_status_display()},
        )
    return redirect(
        request.POST.get("next") if str(request.POST.get("next", "")).startswith("/payments/") else "payments:flagged"
    )
