"""Read queries of the service desk: catalogue search, queue state, requests in scope, visit items, KPIs, IKM."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Outlet, Visit
from accounts.services.visits import business_date_today

from .ikm import IkmResult, ikm_compute
from .models import (
    Agency,
    AppointmentSlot,
    Counter,
    HelpAlert,
    QueueTicket,
    RequestStatus,
    Service,
    ServiceRequest,
    SurveyResponse,
    TicketSource,
    TicketStatus,
)
from .permissions import user_agency_ids


def agencies_active() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("short_name")


def services_active() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True, agency__is_active=True).select_related("agency")


def services_search(
    *, search: str = "", agency: Agency | None = None, outlet: Outlet | None = None
) -> QuerySet[Service]:
    """Find services by the words citizens use (every word must match name, summary, keywords or agency)."""
    qs = services_active()
    for word in (search or "").split()[:8]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(keywords__icontains=word)
            | Q(agency__short_name__icontains=word)
            | Q(agency__name__icontains=word)
        )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if outlet is not None:
        qs = qs.filter(outlets=outlet, availability__in=["cafe", "both"])
    return qs.order_by("agency__short_name", "name")


def service_by_slug(slug: str) -> Service | None:
    return services_active().filter(slug=slug).first()


def slots_open(*, service: Service, outlet: Outlet | None = None, days: int = 14) -> QuerySet[AppointmentSlot]:
    now = timezone.now()
    qs = AppointmentSlot.objects.filter(
        service=service, starts_at__gt=now, starts_at__lt=now + datetime.timedelta(days=days)
    )
    if outlet is not None:
        qs = qs.filter(outlet=outlet)
    return qs.select_related("outlet").order_by("starts_at")


@dataclass
class QueueStatus:
    waiting: int
    serving: list[QueueTicket]
    waiting_by_service: dict[int, int] = field(default_factory=dict)


def queue_status(*, outlet: Outlet, date: datetime.date | None = None) -> QueueStatus:
    """The public state of a café's queue: how many wait, which numbers are at which counters (2 queries)."""
    day = date or business_date_today()
    rows = (
        QueueTicket.objects.filter(outlet=outlet, business_date=day, status=TicketStatus.ISSUED)
        .values("service_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_service = {r["service_id"]: r["n"] for r in rows}
    serving = list(
        QueueTicket.objects.filter(
            outlet=outlet, business_date=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        )
        .select_related("counter", "service")
        .order_by("-called_at")
    )
    return QueueStatus(waiting=sum(by_service.values()), serving=serving, waiting_by_service=by_service)


def counters_for_officer(*, user, outlet: Outlet | None = None) -> QuerySet[Counter]:
    """Counters this officer may serve."""
    from accounts.selectors import outlets_for_user

    qs = Counter.objects.filter(is_active=True, outlet__in=outlets_for_user(user)).select_related("outlet", "agency")
    if outlet is not None:
        qs = qs.filter(outlet=outlet)
    if not user.is_superuser:
        qs = qs.filter(Q(agency__isnull=True) | Q(agency_id__in=user_agency_ids(user)))
    return qs.order_by("outlet__name", "number")


def counter_current_ticket(counter: Counter) -> QueueTicket | None:
    return (
        QueueTicket.objects.filter(counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .select_related("service", "visit")
        .first()
    )


def help_alerts_open(*, outlet: Outlet) -> QuerySet[HelpAlert]:
    return HelpAlert.objects.filter(outlet=outlet, acknowledged_at__isnull=True).order_by("created_at")


def service_requests_for_user(user) -> QuerySet[ServiceRequest]:
    """Requests this user may see: their own as a citizen, and those assigned to their agencies."""
    if not user.is_authenticated:
        return ServiceRequest.objects.none()
    scope = Q(user=user)
    if user.has_perm("services_desk.work_servicerequest"):
        scope |= Q(agency_id__in=user_agency_ids(user))
    return ServiceRequest.objects.filter(scope).select_related("service", "agency")


def service_requests_work_queue(user) -> QuerySet[ServiceRequest]:
    """Open requests of the officer's agencies, the most urgent first."""
    if not user.has_perm("services_desk.work_servicerequest"):
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(agency_id__in=user_agency_ids(user))
        .exclude(status__in=[RequestStatus.COLLECTED, RequestStatus.REJECTED])
        .select_related("service", "agency")
        .order_by("due_at", "pk")
    )


@dataclass
class VisitItems:
    visit: Visit
    tickets: list[QueueTicket]
    requests: list[ServiceRequest]
    reservations: list


def visit_open_items(*, visit: Visit) -> VisitItems:
    """What the visit still has open: tickets, requests and reserved products (constant number of queries)."""
    tickets = list(
        QueueTicket.objects.filter(visit=visit).select_related("service", "counter").order_by("arrived_at", "pk")
    )
    requests = list(
        ServiceRequest.objects.filter(visit=visit)
        .exclude(status__in=[RequestStatus.COLLECTED, RequestStatus.REJECTED])
        .select_related("service")
    )
    reservations = []
    try:
        from catalog.selectors import reservations_active_for_visit
    except ImportError:
        reservations_active_for_visit = None
    if reservations_active_for_visit is not None:
        reservations = list(reservations_active_for_visit(visit))
    return VisitItems(visit=visit, tickets=tickets, requests=requests, reservations=reservations)


@dataclass
class QueueKpi:
    service_id: int | None
    service_name: str
    tickets: int
    served: int
    avg_wait_minutes: float | None
    p90_wait_minutes: float | None
    avg_service_minutes: float | None
    no_show_rate: float | None
    appointment_share: float | None
    visits: int
    visits_bought: int

    @property
    def conversion_rate(self) -> float | None:
        return self.visits_bought / self.visits if self.visits else None


def _percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _kpi(service_id, name, tickets: list[dict]) -> QueueKpi:
    waits = [(t["called_at"] - t["arrived_at"]).total_seconds() / 60 for t in tickets if t["called_at"]]
    services = [
        (t["finished_at"] - t["started_at"]).total_seconds() / 60
        for t in tickets
        if t["status"] == TicketStatus.DONE and t["started_at"] and t["finished_at"]
    ]
    closed = [t for t in tickets if t["status"] in (TicketStatus.DONE, TicketStatus.NO_SHOW)]
    visits = {t["visit_id"]: t["visit__first_purchase_at"] is not None for t in tickets}
    return QueueKpi(
        service_id=service_id,
        service_name=name,
        tickets=len(tickets),
        served=sum(1 for t in tickets if t["status"] == TicketStatus.DONE),
        avg_wait_minutes=round(sum(waits) / len(waits), 1) if waits else None,
        p90_wait_minutes=round(_percentile(waits, 90), 1) if waits else None,
        avg_service_minutes=round(sum(services) / len(services), 1) if services else None,
        no_show_rate=(sum(1 for t in closed if t["status"] == TicketStatus.NO_SHOW) / len(closed)) if closed else None,
        appointment_share=sum(1 for t in tickets if t["source"] == TicketSource.APPOINTMENT) / len(tickets)
        if tickets
        else None,
        visits=len(visits),
        visits_bought=sum(visits.values()),
    )


def queue_kpis(*, outlet: Outlet, date: datetime.date) -> tuple[QueueKpi, list[QueueKpi]]:
    """Queue KPIs of a café's day, in total and per service (one query).

    A transferred ticket counts once: its original (which carries the arrival) is counted, its continuation not.
    """
    rows = list(
        QueueTicket.objects.filter(outlet=outlet, business_date=date, transferred_from__isnull=True).values(
            "service_id",
            "service__name",
            "status",
            "source",
            "arrived_at",
            "called_at",
            "started_at",
            "finished_at",
            "visit_id",
            "visit__first_purchase_at",
        )
    )
    per_service: dict[int, list[dict]] = {}
    names: dict[int, str] = {}
    for row in rows:
        per_service.setdefault(row["service_id"], []).append(row)
        names[row["service_id"]] = row["service__name"]
    total = _kpi(None, "", rows)
    return total, [
        _kpi(sid, names[sid], items) for sid, items in sorted(per_service.items(), key=lambda kv: names[kv[0]])
    ]


@dataclass
class IkmRow:
    key: str
    label: str
    result: IkmResult | None


def ikm_report(
    *, date_from: datetime.date, date_to: datetime.date, outlet: Outlet | None = None, by: str = "service"
) -> tuple[IkmResult | None, list[IkmRow]]:
    """IKM over a period, in total and grouped by service, counter or café (two queries)."""
    group = {
        "service": ("service_id", "service__name"),
        "counter": ("counter_id", "counter__name"),
        "outlet": ("outlet_id", "outlet__name"),
    }[by]
    qs = SurveyResponse.objects.filter(business_date__gte=date_from, business_date__lte=date_to)
    if outlet is not None:
        qs = qs.filter(outlet=outlet)
    sums = {f"s{i}": Sum(f"u{i}") for i in range(1, 10)}
    total_row = qs.aggregate(n=Count("pk"), **sums)
    total = ikm_compute(item_sums=[total_row[f"s{i}"] or 0 for i in range(1, 10)], respondents=total_row["n"])
    rows = []
    for row in qs.values(*group).annotate(n=Count("pk"), **sums).order_by(group[1]):
        result = ikm_compute(item_sums=[row[f"s{i}"] for i in range(1, 10)], respondents=row["n"])
        rows.append(IkmRow(key=str(row[group[0]]), label=row[group[1]] or "—", result=result))
    return total, rows


def requests_prefetched(qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    from .models import RequestDocument, RequestEvent

    return qs.prefetch_related(
        Prefetch("events", queryset=RequestEvent.objects.select_related("by").order_by("created_at", "pk")),
        Prefetch("documents", queryset=RequestDocument.objects.filter(purged_at__isnull=True).order_by("pk")),
    )
