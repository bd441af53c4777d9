"""The self-service kiosk (anjungan mandiri): full-screen touch pages for one café.

A café's kiosk browser is signed in once by its staff (permission `use_kiosk`); citizens then use it
without an account. No page shows personal data of anybody else.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Outlet
from accounts.selectors import outlets_for_user, user_can_act_at_outlet
from core.exceptions import DomainError

from ..forms import CheckInForm, TicketForm
from ..models import Kiosk, QueueTicket
from ..selectors import service_by_slug, services_search, visit_open_items
from ..services.appointments import appointment_check_in
from ..services.help_alerts import help_alert_raise
from ..services.queue import service_check_offered, ticket_estimated_wait_minutes, ticket_issue
from ..services.reservations import ReserveLine, catalog_available, visit_reserve_products
from ..ticket_printing import ticket_lines
from .errors import form_add_domain_error

KIOSK_PRODUCTS = 24


def _outlet_for_kiosk(request, code: str) -> Outlet:
    outlet = Outlet.objects.filter(code=code.upper(), is_active=True).first()
    if outlet is None or not user_can_act_at_outlet(request.user, outlet):
        raise Http404
    return outlet


def _kiosk(request, outlet: Outlet) -> Kiosk | None:
    kiosk_id = request.GET.get("kiosk") or request.session.get("kiosk_id")
    if kiosk_id and str(kiosk_id).isdigit():
        kiosk = Kiosk.objects.filter(pk=int(kiosk_id), outlet=outlet, is_active=True).first()
        if kiosk is not None:
            request.session["kiosk_id"] = kiosk.pk
            return kiosk
    return None


kiosk_required = [login_required, permission_required("services_desk.use_kiosk", raise_exception=True)]


def _protect(view):
    for decorator in reversed(kiosk_required):
        view = decorator(view)
    return view


@_protect
def kiosk_select(request):
    outlets = (
        outlets_for_user(request.user)
        .filter(is_active=True, offers_services=True)
        .prefetch_related("kiosks")
        .order_by("level", "name")
    )
    return render(request, "services_desk/kiosk_select.html", {"outlets": outlets})


@_protect
def kiosk_home(request, code):
    outlet = _outlet_for_kiosk(request, code)
    kiosk = _kiosk(request, outlet)
    search = request.GET.get("q", "").strip()[:100]
    services = services_search(search=search, outlet=outlet)
    return render(
        request,
        "services_desk/kiosk_home.html",
        {
            "outlet": outlet,
            "kiosk": kiosk,
            "services": services,
            "search": search,
            "checkin_form": CheckInForm(),
        },
    )


@_protect
def kiosk_service(request, code, slug):
    """Show the requirements as a checklist, then take the ticket."""
    outlet = _outlet_for_kiosk(request, code)
    kiosk = _kiosk(request, outlet)
    service = service_by_slug(slug)
    if service is None:
        raise Http404
    try:
        service_check_offered(service=service, outlet=outlet)
    except DomainError:
        raise Http404 from None
    form = TicketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = ticket_issue(
                outlet=outlet,
                service=service,
                phone=form.cleaned_data["phone"],
                priority=form.cleaned_data["priority"],
                kiosk=kiosk,
                user=request.user,
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            return redirect("services_desk:kiosk-ticket", code=outlet.code, pk=ticket.pk)
    return render(
        request,
        "services_desk/kiosk_service.html",
        {"outlet": outlet, "kiosk": kiosk, "service": service, "form": form},
        status=400 if form.errors else 200,
    )


@_protect
@require_POST
def kiosk_check_in(request, code):
    outlet = _outlet_for_kiosk(request, code)
    kiosk = _kiosk(request, outlet)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            ticket = appointment_check_in(code=form.cleaned_data["code"], outlet=outlet, kiosk=kiosk, user=request.user)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            return redirect("services_desk:kiosk-ticket", code=outlet.code, pk=ticket.pk)
    return render(
        request,
        "services_desk/kiosk_home.html",
        {
            "outlet": outlet,
            "kiosk": kiosk,
            "services": services_search(outlet=outlet),
            "checkin_form": form,
        },
        status=400,
    )


def _sellable_products(outlet: Outlet) -> list[dict]:
    """UMKM products on this café's shelf with stock available now (empty until the catalogue is installed)."""
    if not catalog_available():
        return []
    from catalog.selectors import stock_available, variants_sellable

    variants = list(variants_sellable().select_related("product__vendor").order_by("product__name", "name")[:200])
    available = stock_available(outlet=outlet, variant_ids=[v.pk for v in variants])
    rows = [{"variant": v, "available": available.get(v.pk, 0)} for v in variants if available.get(v.pk, 0) > 0]
    return rows[:KIOSK_PRODUCTS]


@_protect
def kiosk_ticket(request, code, pk):
    """The ticket was printed: show the number and wait, and invite to reserve UMKM products for the visit."""
    outlet = _outlet_for_kiosk(request, code)
    ticket = get_object_or_404(
        QueueTicket.objects.select_related("service__agency", "outlet", "visit"), pk=pk, outlet=outlet
    )
    wait = ticket_estimated_wait_minutes(ticket=ticket)
    error = None
    if request.method == "POST":
        lines = []
        for key, value in request.POST.items():
            if key.startswith("qty_") and value.strip() not in ("", "0"):
                try:
                    lines.append(ReserveLine(variant_id=int(key[4:]), quantity=int(value)))
                except ValueError:
                    error = _("Enter whole numbers.")
        if error is None:
            try:
                visit_reserve_products(visit=ticket.visit, lines=lines)
            except DomainError as exc:
                error = exc.message
            else:
                return redirect("services_desk:kiosk-ticket", code=outlet.code, pk=ticket.pk)
    items = visit_open_items(visit=ticket.visit)
    return render(
        request,
        "services_desk/kiosk_ticket.html",
        {
            "outlet": outlet,
            "ticket": ticket,
            "wait": wait,
            "lines": ticket_lines(ticket=ticket, estimated_wait=wait),
            "products": _sellable_products(outlet),
            "reservations": items.reservations,
            "error": error,
            "catalog_ready": catalog_available(),
        },
        status=400 if error else 200,
    )


@_protect
@require_POST
def kiosk_help(request, code):
    outlet = _outlet_for_kiosk(request, code)
    kiosk = _kiosk(request, outlet)
    alert = help_alert_raise(outlet=outlet, kiosk_name=kiosk.name if kiosk else _("Kiosk"))
    return JsonResponse({"ok": True, "alert": alert.pk, "message": _("Help is on the way. Please wait a moment.")})
