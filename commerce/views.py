"""Storefront pages (cart, checkout, order) and the café staff's order screens. Thin: parse, call a service, render."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import outlets_for_user
from core.exceptions import DomainError
from core.spreadsheets import spreadsheet_cell

from .cart_session import cart_for_request
from .exceptions import CheckoutChanged
from .models import DeliveryMethod, OrderStatus
from .selectors import (
    checkout_lines_with_variants,
    checkout_pickup_options,
    checkout_totals,
    delivery_fees_active,
    order_for_viewer,
    orders_for_staff,
    orders_of_user,
    sales_outlets,
)
from .services.checkout import (
    DeliveryAddress,
    LineInput,
    checkout_complete,
    checkout_contact_update,
    checkout_delivery_method_update,
    checkout_line_delete,
    checkout_lines_add,
    checkout_lines_update,
    checkout_refresh,
)
from .services.order_payments import order_payment_current, order_payment_start
from .services.orders import (
    order_cancel,
    order_hand_over,
    order_mark_delivered,
    order_mark_ready,
    order_mark_shipped,
    order_refund,
    order_restock,
)


def _int(value, default=None):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _error(request, exc: DomainError) -> None:
    messages.error(request, exc.message)


# --- Cart -------------------------------------------------------------------------------------------------


@require_POST
def cart_add(request):
    """Add a product from a product page (fields variant_id, quantity, next)."""
    variant_id = _int(request.POST.get("variant_id"))
    quantity = _int(request.POST.get("quantity"), 1)
    back = _safe_next(request, reverse("commerce:cart"))
    if variant_id is None or quantity is None:
        messages.error(request, _("Choose a product and a quantity."))
        return redirect(back)
    checkout = cart_for_request(request, create=True)
    try:
        checkout_lines_add(checkout=checkout, lines=[LineInput(variant_id=variant_id, quantity=quantity)])
    except DomainError as exc:
        _error(request, exc)
        return redirect(back)
    messages.success(request, _("Added to your cart."))
    return redirect(back)


def cart(request):
    checkout = cart_for_request(request)
    lines, notices = [], []
    if checkout is not None:
        notices = checkout_refresh(checkout=checkout)
        lines = checkout_lines_with_variants(checkout)
    for notice in notices:
        messages.warning(request, notice)
    return render(
        request, "commerce/cart.html", {"checkout": checkout, "lines": lines, "totals": checkout_totals(lines)}
    )


@require_POST
def cart_update(request):
    checkout = cart_for_request(request)
    if checkout is None:
        return redirect("commerce:cart")
    variant_id = _int(request.POST.get("variant_id"))
    quantity = _int(request.POST.get("quantity"))
    if variant_id is None or quantity is None:
        messages.error(request, _("Choose a product and a quantity."))
        return redirect("commerce:cart")
    try:
        checkout_lines_update(checkout=checkout, lines=[LineInput(variant_id=variant_id, quantity=quantity)])
    except DomainError as exc:
        _error(request, exc)
    return redirect("commerce:cart")


@require_POST
def cart_line_delete(request, line_id: int):
    checkout = cart_for_request(request)
    if checkout is None:
        return redirect("commerce:cart")
    try:
        checkout_line_delete(checkout=checkout, line_id=line_id)
    except DomainError as exc:
        _error(request, exc)
    return redirect("commerce:cart")


# --- Checkout ---------------------------------------------------------------------------------------------


def checkout(request):
    """Step 1: who, and pickup at a café (only cafés with every product) or delivery with the kecamatan fee."""
    cart_checkout = cart_for_request(request)
    if cart_checkout is None:
        return redirect("commerce:cart")
    notices = checkout_refresh(checkout=cart_checkout)
    for notice in notices:
        messages.warning(request, notice)
    lines = checkout_lines_with_variants(cart_checkout)
    if not lines:
        messages.info(request, _("Your cart is empty."))
        return redirect("commerce:cart")
    form = request.POST if request.method == "POST" else None
    if request.method == "POST":
        try:
            checkout_contact_update(
                checkout=cart_checkout,
                name=request.POST.get("name", ""),
                phone=request.POST.get("phone", ""),
                email=request.POST.get("email", ""),
            )
            if request.POST.get("delivery_method") == DeliveryMethod.DELIVERY:
                checkout_delivery_method_update(
                    checkout=cart_checkout,
                    delivery_address=DeliveryAddress(
                        street=request.POST.get("street", ""),
                        kecamatan=request.POST.get("kecamatan", ""),
                        rt_rw=request.POST.get("rt_rw", ""),
                        desa=request.POST.get("desa", ""),
                        postcode=request.POST.get("postcode", ""),
                        note=request.POST.get("note", ""),
                    ),
                )
            else:
                outlet = sales_outlets().filter(pk=_int(request.POST.get("pickup_outlet"), 0)).first()
                if outlet is None:
                    raise DomainError(_("Choose the café where you pick up the order."), field="pickupOutlet")
                checkout_delivery_method_update(checkout=cart_checkout, pickup_outlet=outlet)
        except DomainError as exc:
            _error(request, exc)
            cart_checkout.refresh_from_db()
        else:
            return redirect("commerce:checkout-review")
    options = checkout_pickup_options(lines)
    return render(
        request,
        "commerce/checkout.html",
        {
            "checkout": cart_checkout,
            "lines": lines,
            "totals": checkout_totals(lines),
            "options": options,
            "fees": delivery_fees_active(),
            "form": form,
        },
    )


def checkout_review(request):
    """Step 2: the total with the delivery fee, the time the stock is held, and the pay button."""
    cart_checkout = cart_for_request(request)
    if cart_checkout is None or not cart_checkout.delivery_method or cart_checkout.reservation_id is None:
        return redirect("commerce:checkout")
    lines = checkout_lines_with_variants(cart_checkout)
    totals = checkout_totals(lines)
    fee = 0
    if cart_checkout.delivery_method == DeliveryMethod.DELIVERY:
        fee = (
            delivery_fees_active()
            .filter(kecamatan=cart_checkout.address_kecamatan)
            .values_list("fee", flat=True)
            .first()
            or 0
        )
    if request.method == "POST":
        try:
            result = checkout_complete(checkout=cart_checkout, user=request.user)
        except CheckoutChanged as exc:
            for notice in exc.notices:
                messages.warning(request, notice)
            return redirect("commerce:cart")
        except DomainError as exc:
            _error(request, exc)
            return redirect("commerce:checkout")
        order = result.order
        request.session.setdefault("order_tokens", {})[order.number] = order.token
        request.session.modified = True
        if result.payment is not None and result.payment.redirect_url:
            return redirect(result.payment.redirect_url)
        return redirect(order.get_absolute_url())
    return render(
        request,
        "commerce/checkout_review.html",
        {
            "checkout": cart_checkout,
            "lines": lines,
            "totals": totals,
            "fee": fee,
            "total": totals["subtotal"] + fee,
            "reservation": cart_checkout.reservation,
        },
    )


# --- Orders (shopper) -------------------------------------------------------------------------------------


def _order_or_404(request, number):
    token = request.GET.get("t") or request.POST.get("t") or request.session.get("order_tokens", {}).get(number)
    order = order_for_viewer(number=number, user=request.user, token=token)
    if order is None:
        raise Http404(_("Order not found."))
    return order


def order_detail(request, number: str):
    order = _order_or_404(request, number)
    payment = order_payment_current(order)
    return render(request, "commerce/order_detail.html", {"order": order, "payment": payment})


@require_POST
def order_check_payment(request, number: str):
    """Ask Midtrans for the payment's status now (the shopper paid but the page still waits)."""
    from commerce.payments.exceptions import PaymentError
    from commerce.payments.services import payment_check_status

    order = _order_or_404(request, number)
    payment = order_payment_current(order)
    if payment is not None and order.status == OrderStatus.UNPAID:
        try:
            payment_check_status(payment=payment)
        except PaymentError as exc:
            messages.error(request, exc.message)
    return redirect(order.get_absolute_url())


@require_GET
def order_pickup_qr(request, number: str):
    order = _order_or_404(request, number)
    if order.delivery_method != DeliveryMethod.PICKUP:
        raise Http404
    image = qrcode.make(order.pickup_qr_payload, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    response = HttpResponse(image.to_string(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def order_pay(request, number: str):
    order = _order_or_404(request, number)
    try:
        payment = order_payment_start(order=order)
    except DomainError as exc:
        _error(request, exc)
        return redirect(order.get_absolute_url())
    return redirect(payment.redirect_url or order.get_absolute_url())


@require_POST
def order_cancel_view(request, number: str):
    order = _order_or_404(request, number)
    try:
        order_cancel(order=order, user=request.user, reason=_("Cancelled by the shopper."))
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Order cancelled."))
    return redirect(order.get_absolute_url())


@login_required
def my_orders(request):
    page = Paginator(orders_of_user(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "commerce/order_list.html", {"page": page})


# --- Café staff -------------------------------------------------------------------------------------------


def _staff_order_or_404(request, number):
    order = orders_for_staff(request.user).filter(number=number).prefetch_related("lines", "events__user").first()
    if order is None:
        raise Http404(_("Order not found."))
    return order


@login_required
@permission_required("commerce.view_order", raise_exception=True)
def staff_orders(request):
    orders = orders_for_staff(request.user)
    status = request.GET.get("status", "")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    elif status == "flagged":
        orders = orders.filter(flagged=True)
    outlet_id = _int(request.GET.get("outlet"))
    if outlet_id:
        orders = orders.filter(outlet_id=outlet_id)
    page = Paginator(orders, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "commerce/staff/order_list.html",
        {
            "page": page,
            "status": status,
            "statuses": OrderStatus.choices,
            "outlets": outlets_for_user(request.user),
            "outlet_id": outlet_id,
        },
    )


@login_required
@permission_required("commerce.view_order", raise_exception=True)
def staff_order_detail(request, number: str):
    order = _staff_order_or_404(request, number)
    return render(
        request, "commerce/staff/order_detail.html", {"order": order, "payment": order_payment_current(order)}
    )


@require_POST
@login_required
@permission_required("commerce.view_order", raise_exception=True)
def staff_order_action(request, number: str):
    order = _staff_order_or_404(request, number)
    action = request.POST.get("action")
    user = request.user
    needed = "commerce.refund_order" if action in ("refund", "restock") else "commerce.fulfil_order"
    if not user.has_perm(needed):
        messages.error(request, _("You do not have permission to perform this action."))
        return redirect("commerce:staff-order-detail", number=order.number)
    try:
        if action == "ready":
            order_mark_ready(order=order, user=user)
        elif action == "shipped":
            order_mark_shipped(order=order, user=user)
        elif action == "delivered":
            order_mark_delivered(order=order, user=user)
        elif action == "cancel":
            order_cancel(order=order, user=user, reason=request.POST.get("reason", ""))
        elif action == "refund":
            amount = _int(request.POST.get("amount"))
            if amount is None:
                raise DomainError(_("The amount must be a whole number of rupiah."), field="amount")
            order_refund(order=order, amount=amount, user=user, reason=request.POST.get("reason", ""))
        elif action == "restock":
            lines = [
                (key.removeprefix("restock-"), value)
                for key, value in request.POST.items()
                if key.startswith("restock-") and value.strip() not in ("", "0")
            ]
            order_restock(order=order, lines=lines, user=user, reason=request.POST.get("reason", ""))
        else:
            raise DomainError(_("Unknown action."))
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Order %(number)s updated.") % {"number": order.number})
    return redirect("commerce:staff-order-detail", number=order.number)


@login_required
@permission_required("commerce.fulfil_order", raise_exception=True)
def staff_hand_over(request):
    """Hand a pickup order over by scanning the QR the shopper shows (a scanner types it into the field)."""
    order = None
    if request.method == "POST":
        try:
            order = order_hand_over(
                pickup_code=request.POST.get("code", ""), user=request.user, outlets=outlets_for_user(request.user)
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("Order %(number)s handed over to %(name)s.") % {"number": order.number, "name": order.name}
            )
            return redirect("commerce:staff-hand-over")
    return render(request, "commerce/staff/hand_over.html", {"order": order})


@login_required
@permission_required("commerce.view_order", raise_exception=True)
def staff_pick_list(request, number: str):
    order = _staff_order_or_404(request, number)
    return render(request, "commerce/staff/pick_list.html", {"order": order})


# --- Consignment settlements ------------------------------------------------------------------------------


def _month_from(request, default):
    from .settlements import month_bounds

    try:
        year, month = (int(part) for part in request.GET.get("bulan", f"{default:%Y-%m}").split("-"))
        return month_bounds(year, month)
    except (TypeError, ValueError):
        return month_bounds(default.year, default.month)


@login_required
def settlements(request):
    """The UMKM owner's settlement per month: units sold, sales, commission, payout — own businesses only.

    A closed month shows its frozen statement and whether it was paid; the running month is provisional.
    """
    from django.utils import timezone

    from .settlements import settlement_for_month, vendors_settled_for

    vendors = list(vendors_settled_for(request.user))
    if not vendors:
        raise Http404(_("You have no UMKM business."))
    start, end = _month_from(request, timezone.localdate())
    vendor_id = _int(request.GET.get("umkm"))
    vendor = next((v for v in vendors if v.pk == vendor_id), vendors[0])
    statement, stored = settlement_for_month(vendor=vendor, start=start, end=end)
    return render(
        request,
        "commerce/settlements.html",
        {
            "statement": statement,
            "stored": stored,
            "vendors": vendors,
            "month": f"{start:%Y-%m}",
        },
    )


@login_required
@permission_required("commerce.view_settlement", raise_exception=True)
def settlement_month(request):
    """Every UMKM's statement of a month: close the month, download the transfer list, mark transfers paid."""
    import csv
    import datetime

    from django.db.models import Sum
    from django.utils import timezone

    from .models import SettlementStatement, SettlementStatus
    from .services.settlements import settlement_mark_paid, settlement_month_close

    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    start, end = _month_from(request, last_month)
    here = f"{reverse('commerce:settlement-month')}?bulan={start:%Y-%m}"
    if request.method == "POST":
        if not request.user.has_perm("commerce.manage_settlement"):
            raise PermissionDenied
        try:
            if request.POST.get("action") == "close":
                done = settlement_month_close(year=start.year, month=start.month, user=request.user)
                messages.success(request, _("%(count)d statements closed for this month.") % {"count": len(done)})
            elif request.POST.get("action") == "paid":
                statement = SettlementStatement.objects.filter(pk=_int(request.POST.get("statement"))).first()
                if statement is None:
                    raise Http404
                settlement_mark_paid(
                    statement=statement, transfer_reference=request.POST.get("reference", ""), user=request.user
                )
                messages.success(request, _("%(number)s marked paid.") % {"number": statement.number})
        except DomainError as exc:
            _error(request, exc)
        return redirect(here)
    statements = (
        SettlementStatement.objects.filter(period_start=start).select_related("vendor").order_by("vendor__name")
    )
    if request.GET.get("format") == "csv":
        if not request.user.has_perm("commerce.manage_settlement"):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="setoran-umkm-{start:%Y-%m}.csv"'
        response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(["number", "umkm", "bank", "account_number", "account_name", "payout", "status", "reference"])
        for row in statements:
            writer.writerow(
                [
                    spreadsheet_cell(value)
                    for value in (
                        row.number,
                        row.vendor.name,
                        row.bank_name,
                        row.bank_account_number,
                        row.bank_account_name,
                        row.payout,
                        row.status,
                        row.transfer_reference,
                    )
                ]
            )
        return response
    totals = statements.aggregate(payout=Sum("payout"))
    unpaid = statements.filter(status=SettlementStatus.CLOSED).aggregate(payout=Sum("payout"))
    return render(
        request,
        "commerce/settlement_month.html",
        {
            "statements": statements,
            "month": f"{start:%Y-%m}",
            "start": start,
            "end": end,
            "ended": end < timezone.localdate(),
            "total_payout": totals["payout"] or 0,
            "unpaid_payout": unpaid["payout"] or 0,
        },
    )
