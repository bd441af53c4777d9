"""The display board of a café: called numbers and counters, live, with a chime and a spoken call.

Public and cacheable for a few seconds; it never carries personal data (no names, NIK or phones).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.models import Outlet

from ..models import Service, TicketStatus
from ..selectors import queue_status


def _outlet(code: str) -> Outlet:
    outlet = Outlet.objects.filter(code=code.upper(), is_active=True).first()
    if outlet is None:
        raise Http404
    return outlet


def board_payload(outlet: Outlet) -> dict:
    """Return what the board shows (3 queries)."""
    status = queue_status(outlet=outlet)
    services = {s.pk: s for s in Service.objects.filter(pk__in=status.waiting_by_service.keys())}
    serving = []
    for t in status.serving:
        serving.append(
            {
                "id": t.pk,
                "number": t.display_number,
                "counter": t.counter.name,
                "counter_number": t.counter.number,
                "service": t.service.name,
                "status": t.status,
                "calling": t.status == TicketStatus.CALLED,
                "call_count": t.call_count,
                "called_at": t.called_at.isoformat() if t.called_at else None,
                "speech": _("Queue number %(prefix)s %(number)s, please go to %(counter)s.")
                % {"prefix": t.prefix, "number": t.number, "counter": t.counter.name},
            }
        )
    return {
        "outlet": outlet.name,
        "time": f"{timezone.localtime():%H.%M}",
        "waiting": status.waiting,
        "waiting_by_service": sorted(
            (
                {"service": services[sid].name, "prefix": services[sid].prefix, "waiting": n}
                for sid, n in status.waiting_by_service.items()
                if sid in services
            ),
            key=lambda row: row["prefix"],
        ),
        "serving": serving,
    }


def board(request, code):
    outlet = _outlet(code)
    return render(
        request,
        "services_desk/board.html",
        {
            "outlet": outlet,
            "payload": board_payload(outlet),
            "poll_ms": settings.QUEUE_POLL_SECONDS * 1000,
        },
    )


@never_cache
def board_data(request, code):
    return JsonResponse(board_payload(_outlet(code)))
