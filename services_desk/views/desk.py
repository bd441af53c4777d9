"""The officer's side: the counter screen, the request work queue, help alerts and the queue report."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.selectors import outlets_for_user, user_can_act_at_outlet
from accounts.services.visits import business_date_today
from core.exceptions import DomainError

from ..models import Counter, HelpAlert, QueueTicket, Service, ServiceAvailability
from ..permissions import user_can_serve_counter
from ..selectors import (
    counter_current_ticket,
    counters_for_officer,
    help_alerts_open,
    ikm_report,
    queue_kpis,
    queue_status,
    service_requests_work_queue,
    visit_open_items,
)
from ..services import queue
from ..services.help_alerts import help_alert_acknowledge


def _counter_for(request, counter_id: int) -> Counter:
    counter = get_object_or_404(Counter.objects.select_related("outlet", "agency"), pk=counter_id, is_active=True)
    if not user_can_serve_counter(request.user, counter):
        raise Http404
    return counter


@login_required
@permission_required("services_desk.serve_queue", raise_exception=True)
def desk(request):
    counters = list(counters_for_officer(user=request.user))
    if len(counters) == 1:
        return redirect("services_desk:counter", counter_id=counters[0].pk)
    return render(request, "services_desk/desk.html", {"counters": counters})


def _waiting_for_counter(counter: Counter) -> int:
    return QueueTicket.objects.filter(
        outlet_id=counter.outlet_id,
        business_date=business_date_today(),
        status="issued",
        service__in=counter.services.all().values("pk"),
    ).count()


@login_required
@permission_required("services_desk.serve_queue", raise_exception=True)
def counter_screen(request, counter_id):
    counter = _counter_for(request, counter_id)
    current = counter_current_ticket(counter)
    items = visit_open_items(visit=current.visit) if current else None
    return render(
        request,
        "services_desk/counter.html",
        {
            "counter": counter,
            "current": current,
            "items": items,
            "waiting": _waiting_for_counter(counter),
            "services": Service.objects.filter(outlets=counter.outlet, is_active=True).select_related("agency"),
            "counters": Counter.objects.filter(outlet=counter.outlet, is_active=True).exclude(pk=counter.pk),
            "alerts": help_alerts_open(outlet=counter.outlet),
            "no_show_after": settings.QUEUE_NO_SHOW_AFTER_CALLS,
            "poll_ms": settings.QUEUE_POLL_SECONDS * 1000,
        },
    )


ACTIONS = {"call", "recall", "start", "complete", "no_show", "transfer"}


@login_required
@permission_required("services_desk.serve_queue", raise_exception=True)
@require_POST
def counter_action(request, counter_id):
    counter = _counter_for(request, counter_id)
    action = request.POST.get("action")
    if action not in ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect("services_desk:counter", counter_id=counter.pk)
    try:
        if action == "call":
            ticket = queue.ticket_call_next(counter=counter, officer=request.user)
            messages.success(request, _("Calling %(number)s.") % {"number": ticket.display_number})
        else:
            ticket = QueueTicket.objects.filter(pk=request.POST.get("ticket") or 0, counter=counter).first()
            if ticket is None:
                raise DomainError(_("This ticket is not at your counter."), field="ticket")
            if action == "recall":
                queue.ticket_recall(ticket=ticket, officer=request.user)
            elif action == "start":
                queue.ticket_start(ticket=ticket, officer=request.user)
            elif action == "complete":
                queue.ticket_complete(ticket=ticket, officer=request.user, notes=request.POST.get("notes", ""))
                messages.success(request, _("%(number)s done.") % {"number": ticket.display_number})
            elif action == "no_show":
                queue.ticket_no_show(ticket=ticket, officer=request.user)
            elif action == "transfer":
                service = Service.objects.filter(pk=request.POST.get("service") or 0, is_active=True).first()
                target = Counter.objects.filter(
                    pk=request.POST.get("target_counter") or 0, outlet=counter.outlet
                ).first()
                queue.ticket_transfer(
                    ticket=ticket,
                    officer=request.user,
                    service=service,
                    counter=target,
                    notes=request.POST.get("notes", ""),
                )
                messages.success(request, _("%(number)s transferred.") % {"number": ticket.display_number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("services_desk:counter", counter_id=counter.pk)


@never_cache
@login_required
@permission_required("services_desk.serve_queue", raise_exception=True)
def counter_status(request, counter_id):
    counter = _counter_for(request, counter_id)
    alerts = [
        {"id": a.pk, "kiosk": a.kiosk_name, "since": f"{timezone.localtime(a.created_at):%H.%M}"}
        for a in help_alerts_open(outlet=counter.outlet)
    ]
    return JsonResponse({"waiting": _waiting_for_counter(counter), "alerts": alerts})


@login_required
@require_POST
def help_acknowledge(request, pk):
    alert = get_object_or_404(HelpAlert, pk=pk)
    if not (
        request.user.has_perm("services_desk.serve_queue") or request.user.has_perm("services_desk.use_kiosk")
    ) or not user_can_act_at_outlet(request.user, alert.outlet_id):
        raise Http404
    help_alert_acknowledge(alert=alert, user=request.user)
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"ok": True})
    return redirect(request.POST.get("next") or "services_desk:desk")


@login_required
@permission_required("services_desk.work_servicerequest", raise_exception=True)
def work_queue(request):
    now = timezone.now()
    rows = list(service_requests_work_queue(request.user)[:200])
    return render(request, "services_desk/work_queue.html", {"rows": rows, "now": now})


def _parse_date(raw: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def _service_outlets(request):
    """The caller's cafés that offer services, and the one chosen by `?kafe=<code>` (or posted), else the first."""
    outlets = list(
        outlets_for_user(request.user).filter(is_active=True, offers_services=True).order_by("level", "name")
    )
    if not outlets:
        raise Http404
    code = request.GET.get("kafe") or request.POST.get("kafe")
    return outlets, next((o for o in outlets if o.code == code), outlets[0])


@login_required
@permission_required("services_desk.view_queue_reports", raise_exception=True)
def report(request):
    outlets, outlet = _service_outlets(request)
    today = business_date_today()
    day = _parse_date(request.GET.get("tanggal"), today)
    date_from = _parse_date(request.GET.get("dari"), today.replace(day=1))
    date_to = _parse_date(request.GET.get("sampai"), today)
    total, per_service = queue_kpis(outlet=outlet, date=day)
    ikm_total, ikm_rows = ikm_report(date_from=date_from, date_to=date_to, outlet=outlet, by="service")
    return render(
        request,
        "services_desk/report.html",
        {
            "outlets": outlets,
            "outlet": outlet,
            "day": day,
            "total": total,
            "per_service": per_service,
            "date_from": date_from,
            "date_to": date_to,
            "ikm_total": ikm_total,
            "ikm_rows": ikm_rows,
            "status": queue_status(outlet=outlet),
        },
    )


@login_required
@permission_required("services_desk.add_appointmentslot", raise_exception=True)
def slots(request):
    """Jadwal janji temu: open slots for a range of days, see their bookings, change or close a slot."""
    from ..forms import SlotPlanForm
    from ..models import AppointmentSlot
    from ..services.appointments import appointment_slot_capacity_set, appointment_slots_plan

    outlets, outlet = _service_outlets(request)
    services = Service.objects.filter(
        is_active=True, availability__in=[ServiceAvailability.CAFE, ServiceAvailability.BOTH], outlets=outlet
    ).order_by("name")
    here = f"{request.path}?kafe={outlet.code}"
    form = SlotPlanForm(
        request.POST if request.POST.get("action") == "plan" else None,
        services=services,
        initial={"date_from": business_date_today(), "date_to": business_date_today() + datetime.timedelta(days=13)},
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "plan" and form.is_valid():
                data = form.cleaned_data
                created, _slots = appointment_slots_plan(
                    service=data["service"],
                    outlet=outlet,
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    weekdays=set(data["weekdays"]),
                    start=data["start"],
                    end=data["end"],
                    minutes=data["minutes"],
                    capacity=data["capacity"],
                    user=request.user,
                )
                messages.success(request, _("%(count)d new slots opened.") % {"count": created})
                return redirect(here)
            if request.POST.get("action") == "capacity":
                if not request.user.has_perm("services_desk.change_appointmentslot"):
                    raise PermissionDenied
                slot = get_object_or_404(AppointmentSlot.objects.filter(outlet=outlet), pk=request.POST.get("slot"))
                try:
                    capacity = int(request.POST.get("capacity", ""))
                except ValueError:
                    capacity = -1
                appointment_slot_capacity_set(slot=slot, capacity=capacity, user=request.user)
                messages.success(request, _("Slot updated."))
                return redirect(here)
        except DomainError as exc:
            messages.error(request, exc.message)
            if request.POST.get("action") != "plan":
                return redirect(here)
    upcoming = (
        AppointmentSlot.objects.filter(outlet=outlet, starts_at__gte=timezone.now())
        .select_related("service")
        .order_by("starts_at", "service__name")[:300]
    )
    return render(
        request,
        "services_desk/slots.html",
        {"outlets": outlets, "outlet": outlet, "form": form, "slots": upcoming},
    )
