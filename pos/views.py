"""Screens of the register (POS screen, shifts, terminals, refunds), the digital receipt and the sync endpoint.

Every view parses input, calls one service and renders the result; the POS screen's JSON
endpoints call the same `sale_complete` as the GraphQL API.
"""

from __future__ import annotations

import datetime
import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import outlets_for_user
from core.exceptions import DomainError

from .forms import CashMovementForm, RefundForm, ShiftCloseForm, ShiftOpenForm, TerminalForm
from .models import Sale, SaleStatus, ShiftStatus
from .receipts import receipt_url, sale_receipt_lines
from .selectors import (
    sale_by_receipt_token,
    sales_for_user,
    shift_cash_summary,
    shift_open_for_terminal,
    shift_opening_cash_suggestion,
    shifts_for_user,
    terminals_for_user,
)
from .services.receipts import qris_print, receipt_reprint
from .services.refunds import RefundLineInput, sale_refund
from .services.sales import PaymentInput, SaleLineInput, sale_complete, sale_payment_cancel, sale_payment_check
from .services.shifts import cash_movement_create, shift_close, shift_open, shift_report_x
from .services.terminals import terminal_create, terminal_update

MAX_SYNC_BATCH = 50
SW_CACHE = "gemilang-pos-v1"


def _form_error(form, exc: DomainError) -> None:
    for err in exc.as_errors():
        field = err["field"] if err["field"] in form.fields else None
        form.add_error(field, err["message"])


# --- Terminals (outlet manager) ----------------------------------------------------------------


@login_required
@permission_required("pos.change_terminal", raise_exception=True)
def terminals(request):
    items = terminals_for_user(request.user).order_by("outlet__name", "name")
    outlets = outlets_for_user(request.user).filter(is_active=True, offers_sales=True).order_by("name")
    return render(request, "pos/terminals.html", {"terminals": items, "outlets": outlets})


@login_required
@permission_required("pos.add_terminal", raise_exception=True)
def terminal_new(request, outlet_id: int):
    outlet = get_object_or_404(outlets_for_user(request.user), pk=outlet_id)
    form = TerminalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("is_active", None)
        try:
            terminal_create(outlet=outlet, **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Terminal saved."))
            return redirect("pos:terminals")
    return render(request, "pos/terminal_form.html", {"form": form, "outlet": outlet, "terminal": None})


@login_required
@permission_required("pos.change_terminal", raise_exception=True)
def terminal_edit(request, pk: int):
    terminal = get_object_or_404(terminals_for_user(request.user), pk=pk)
    initial = {
        f: getattr(terminal, f)
        for f in ("name", "code", "printer_url", "paper_width", "allow_negative_stock", "is_active")
    }
    form = TerminalForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("code", None)
        try:
            terminal_update(terminal=terminal, **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Terminal saved."))
            return redirect("pos:terminals")
    return render(request, "pos/terminal_form.html", {"form": form, "outlet": terminal.outlet, "terminal": terminal})


# --- Shifts --------------------------------------------------------------------------------------


@login_required
@permission_required("pos.add_sale", raise_exception=True)
def home(request):
    items = list(terminals_for_user(request.user).filter(is_active=True).order_by("outlet__name", "name"))
    open_shifts = {
        s.terminal_id: s for s in shifts_for_user(request.user).filter(status=ShiftStatus.OPEN, terminal__in=items)
    }
    rows = [{"terminal": t, "shift": open_shifts.get(t.pk)} for t in items]
    return render(request, "pos/home.html", {"rows": rows})


@login_required
@permission_required("pos.add_shift", raise_exception=True)
def shift_open_view(request, terminal_id: int):
    terminal = get_object_or_404(terminals_for_user(request.user), pk=terminal_id)
    current = shift_open_for_terminal(terminal)
    if current is not None and request.method == "GET":
        return redirect("pos:register", pk=current.pk)
    form = ShiftOpenForm(
        request.POST or None, initial={"opening_cash": shift_opening_cash_suggestion(terminal=terminal)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            shift = shift_open(terminal=terminal, cashier=request.user, opening_cash=form.cleaned_data["opening_cash"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect("pos:register", pk=shift.pk)
    return render(request, "pos/shift_open.html", {"form": form, "terminal": terminal})


@never_cache
@login_required
@permission_required("pos.add_sale", raise_exception=True)
def register(request, pk: int):
    """The POS screen. Cached by the service worker so that a reload while offline still shows it."""
    shift = get_object_or_404(shifts_for_user(request.user), pk=pk)
    if shift.status != ShiftStatus.OPEN:
        messages.info(request, _("This shift is closed."))
        return redirect("pos:shift-detail", pk=shift.pk)
    config = {
        "shiftId": shift.pk,
        "terminal": shift.terminal.name,
        "outlet": shift.terminal.outlet.name,
        "outletAddress": shift.terminal.outlet.full_address,
        "cashier": str(request.user),
        "canDiscount": request.user.has_perm("pos.give_discount"),
        "cacheName": SW_CACHE,
        "urls": {
            "products": reverse("pos:api-products", args=[shift.pk]),
            "sync": reverse("pos:api-sync"),
            "visit": reverse("pos:api-visit", args=[shift.pk]),
            "saleStatus": reverse("pos:api-sale-status", args=[0]),
            "saleCancel": reverse("pos:api-sale-cancel", args=[0]),
            "saleQrisPrint": reverse("pos:api-sale-qris-print", args=[0]),
            "qr": reverse("pos:sale-qris-qr", args=[0]),
            "ping": reverse("pos:api-ping"),
            "sw": reverse("pos:service-worker"),
        },
    }
    return render(request, "pos/register.html", {"shift": shift, "config": config})


@login_required
@permission_required("pos.view_shift", raise_exception=True)
def shift_detail(request, pk: int):
    shift = get_object_or_404(shifts_for_user(request.user), pk=pk)
    sales = Sale.objects.filter(shift=shift).select_related("visit").order_by("-sold_at")[:200]
    return render(
        request,
        "pos/shift_detail.html",
        {
            "shift": shift,
            "summary": shift_cash_summary(shift=shift),
            "sales": sales,
            "reports": shift.reports.select_related("print_job").order_by("-created_at"),
            "movements": shift.cash_movements.all(),
            "cash_form": CashMovementForm(),
        },
    )


@login_required
@permission_required("pos.add_cashmovement", raise_exception=True)
@require_POST
def cash_movement_view(request, pk: int):
    shift = get_object_or_404(shifts_for_user(request.user), pk=pk)
    form = CashMovementForm(request.POST)
    if form.is_valid():
        try:
            cash_movement_create(shift=shift, user=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Cash movement recorded."))
    else:
        messages.error(request, _("Enter the kind, an amount above zero and the reason."))
    return redirect("pos:shift-detail", pk=shift.pk)


@login_required
@permission_required("pos.view_shift_report", raise_exception=True)
@require_POST
def shift_report_x_view(request, pk: int):
    shift = get_object_or_404(shifts_for_user(request.user), pk=pk)
    try:
        shift_report_x(shift=shift, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("X report printed."))
    return redirect("pos:shift-detail", pk=shift.pk)


@login_required
@permission_required("pos.change_shift", raise_exception=True)
def shift_close_view(request, pk: int):
    shift = get_object_or_404(shifts_for_user(request.user), pk=pk)
    if shift.status != ShiftStatus.OPEN:
        return redirect("pos:shift-detail", pk=shift.pk)
    form = ShiftCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shift_close(
                shift=shift,
                user=request.user,
                denominations=form.denominations() or {"100000": 0},
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Shift closed. The Z report is printed."))
            return redirect("pos:shift-detail", pk=shift.pk)
    return render(
        request,
        "pos/shift_close.html",
        {
            "shift": shift,
            "form": form,
            "summary": shift_cash_summary(shift=shift),
            "threshold": settings.POS_CASH_DIFFERENCE_THRESHOLD,
        },
    )


# --- Sales: refund, reprint, digital receipt ----------------------------------------------------------


@login_required
@permission_required("pos.add_refund", raise_exception=True)
def sale_refund_view(request, pk: int):
    sale = get_object_or_404(sales_for_user(request.user), pk=pk)
    form = RefundForm(request.POST or None, sale_lines=sale.lines.all())
    if request.method == "POST" and form.is_valid():
        items = [
            RefundLineInput(sale_line_id=line.pk, quantity=form.cleaned_data.get(f"line_{line.pk}") or 0)
            for line in form.sale_lines
            if form.cleaned_data.get(f"line_{line.pk}")
        ]
        try:
            if not items:
                raise DomainError(_("Choose at least one item to return."), field="reason")
            refund = sale_refund(sale=sale, user=request.user, reason=form.cleaned_data["reason"], lines=items)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Refund %(number)s recorded.") % {"number": refund.number})
            return redirect("pos:shift-detail", pk=sale.shift_id)
    return render(request, "pos/sale_refund.html", {"sale": sale, "form": form})


@login_required
@permission_required("pos.reprint_receipt", raise_exception=True)
@require_POST
def sale_reprint_view(request, pk: int):
    sale = get_object_or_404(sales_for_user(request.user), pk=pk)
    try:
        receipt_reprint(sale=sale, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The receipt is being reprinted."))
    return redirect(request.POST.get("next") or reverse("pos:shift-detail", args=[sale.shift_id]))


def receipt(request, token: str):
    """The digital receipt (Struk Online): public to whoever holds the unguessable link, printable from a browser."""
    sale = sale_by_receipt_token(token)
    if sale is None:
        raise Http404
    context = {"sale": sale, "footer": settings.POS_RECEIPT_FOOTER, **sale_receipt_lines(sale)}
    response = render(request, "pos/receipt.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@permission_required("pos.add_sale", raise_exception=True)
@require_GET
def sale_qris_qr(request, pk: int):
    """The QRIS code of a sale awaiting payment, as SVG for the customer to scan from the screen."""
    import qrcode
    import qrcode.image.svg

    from .services.sales import sale_qris_payment

    sale = get_object_or_404(sales_for_user(request.user), pk=pk, status=SaleStatus.AWAITING_PAYMENT)
    payment = sale_qris_payment(sale)
    if payment is None or not getattr(payment, "qr_string", ""):
        raise Http404
    image = qrcode.make(payment.qr_string, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")


# --- JSON endpoints of the POS screen ------------------------------------------------------------------


def _json_login_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "login_required", "message": _("Log in again.")}, status=401)
        if not request.user.has_perm("pos.add_sale"):
            return JsonResponse(
                {"error": "permission_denied", "message": _("You do not have permission to perform this action.")},
                status=403,
            )
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
def ping(request):
    return JsonResponse({"ok": True})


@never_cache
@require_GET
@_json_login_required
def api_products(request, shift_id: int):
    """The sellable products with the café's available stock: cached by the screen in IndexedDB for offline selling."""
    from catalog.selectors import stock_available, variants_sellable

    shift = get_object_or_404(shifts_for_user(request.user), pk=shift_id)
    variants = list(variants_sellable().order_by("product__name", "name")[:5000])
    available = stock_available(outlet=shift.terminal.outlet_id, variant_ids=[v.pk for v in variants])
    return JsonResponse(
        {
            "products": [
                {
                    "id": v.pk,
                    "name": f"{v.product.name} {v.name}".strip(),
                    "vendor": v.product.vendor.name,
                    "price": v.price,
                    "barcode": v.barcode,
                    "sku": v.sku,
                    "code": v.internal_code,
                    "available": available.get(v.pk, 0),
                }
                for v in variants
            ]
        }
    )


@never_cache
@require_GET
@_json_login_required
def api_visit(request, shift_id: int):
    """Find a visit by code or ticket QR; return its kiosk reservations so they go into the cart."""
    from accounts.selectors import visit_find
    from catalog.selectors import reservations_active_for_visit

    shift = get_object_or_404(shifts_for_user(request.user), pk=shift_id)
    visit = visit_find(code_or_qr=request.GET.get("code", ""), outlet=shift.terminal.outlet)
    if visit is None:
        return JsonResponse(
            {"error": "visit_not_found", "message": _("No visit with this code today at this café.")}, status=404
        )
    lines = []
    for reservation in reservations_active_for_visit(visit):
        for line in reservation.lines.all():
            if reservation.outlet_id == shift.terminal.outlet_id:
                lines.append({"variantId": line.variant_id, "quantity": line.quantity})
    return JsonResponse({"code": visit.code, "customer": bool(visit.customer_id), "reserved": lines})


def _sale_json(sale: Sale) -> dict:
    qr = None
    if sale.status == SaleStatus.AWAITING_PAYMENT:
        qr = reverse("pos:sale-qris-qr", args=[sale.pk])
    return {
        "id": sale.pk,
        "number": sale.number,
        "status": sale.status,
        "total": sale.total,
        "change": sale.change,
        "receiptUrl": receipt_url(sale),
        "offline": sale.offline,
        "lateSync": sale.late_sync,
        "oversold": sale.oversold,
        "qrUrl": qr,
    }


def _parse_sale(payload: dict) -> dict:
    try:
        lines = [
            SaleLineInput(
                variant_id=int(line["variantId"]) if line.get("variantId") else None,
                code=str(line.get("code") or ""),
                quantity=line.get("quantity"),
                discount=line.get("discount") or 0,
                discount_reason=str(line.get("discountReason") or ""),
            )
            for line in payload.get("lines") or []
        ]
        payments = [
            PaymentInput(method=str(p.get("method", "")).lower(), amount=p.get("amount"), tendered=p.get("tendered"))
            for p in payload.get("payments") or []
        ]
        sold_at = parse_datetime(str(payload.get("soldAt") or "")) if payload.get("soldAt") else None
        if sold_at is not None and sold_at.tzinfo is None:
            sold_at = sold_at.replace(tzinfo=datetime.UTC)
        return {
            "client_id": uuid.UUID(str(payload.get("clientId"))),
            "shift_id": int(payload.get("shiftId")),
            "lines": lines,
            "payments": payments,
            "visit_code": str(payload.get("visitCode") or ""),
            "offline": bool(payload.get("offline")),
            "sold_at": sold_at,
        }
    except (TypeError, ValueError, KeyError, AttributeError):
        raise DomainError(_("This sale could not be read."), code="invalid") from None


@require_POST
@_json_login_required
def api_sync(request):
    """Accept sales from the POS screen (live or queued while offline): each exactly once per client id."""
    try:
        body = json.loads(request.body or b"{}")
        items = body["sales"]
        if not isinstance(items, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "invalid", "message": _("This sale could not be read.")}, status=400)
    if len(items) > MAX_SYNC_BATCH:
        return JsonResponse({"error": "invalid", "message": _("Send at most 50 sales at once.")}, status=400)
    shifts = shifts_for_user(request.user)
    results = []
    for item in items:
        client_id = str(item.get("clientId", "")) if isinstance(item, dict) else ""
        try:
            data = _parse_sale(item if isinstance(item, dict) else {})
            shift = shifts.filter(pk=data.pop("shift_id")).first()
            if shift is None:
                raise DomainError(_("This shift was not found."), code="not_found", field="shift")
            sale = sale_complete(shift=shift, user=request.user, **data)
        except DomainError as exc:
            results.append({"clientId": client_id, "ok": False, "errors": exc.as_errors()})
            continue
        results.append({"clientId": client_id, "ok": True, "sale": _sale_json(sale)})
    return JsonResponse({"results": results})


def _sale_api(request, pk: int, act) -> JsonResponse:
    """Run `act(sale)` on a sale of the caller's cafés; its result, or the service's refusal, as JSON."""
    sale = get_object_or_404(sales_for_user(request.user), pk=pk)
    try:
        return JsonResponse({"ok": True, **act(sale)})
    except DomainError as exc:
        return JsonResponse({"ok": False, "errors": exc.as_errors()}, status=200)


@require_POST
@_json_login_required
def api_sale_status(request, pk: int):
    """Cek Status: ask the gateway about the QRIS payment now."""
    return _sale_api(request, pk, lambda sale: {"sale": _sale_json(sale_payment_check(sale=sale, user=request.user))})


@require_POST
@_json_login_required
def api_sale_cancel(request, pk: int):
    return _sale_api(request, pk, lambda sale: {"sale": _sale_json(sale_payment_cancel(sale=sale, user=request.user))})


@require_POST
@_json_login_required
def api_sale_qris_print(request, pk: int):
    """Print the QRIS code on the register's printer, for a customer who cannot see the screen."""

    def print_code(sale):
        job = qris_print(sale=sale, user=request.user)
        job.refresh_from_db()  # delivered after commit: printed, or failed and kept
        return {"printStatus": job.status}

    return _sale_api(request, pk, print_code)


def service_worker(request):
    """The service worker of the register: served under /kasir/ so that it may control the POS pages."""
    body = render_to_string("pos/sw.js", {"version": SW_CACHE, "STATIC_PREFIX": settings.STATIC_URL}, request=request)
    response = HttpResponse(body, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/kasir/"
    return response
