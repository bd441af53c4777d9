"""Queue KPIs per café, service and day, including the visits that also bought."""

import datetime

import pytest
from django.utils import timezone

from services_desk.models import QueueTicket, TicketSource
from services_desk.selectors import queue_kpis


@pytest.mark.django_db
def test_kpis_of_a_day(issue, ktp, kk, counter, officer, outlet, django_assert_max_num_queries):
    from accounts.services.visits import visit_mark_purchase

    now = timezone.now()
    waits = [10, 20, 30, 40]  # minutes from arrival to call
    tickets = [issue(ktp) for _ in waits]
    appt = issue(kk, source=TicketSource.APPOINTMENT, due_at=now)
    for ticket, wait in zip(tickets, waits, strict=True):
        QueueTicket.objects.filter(pk=ticket.pk).update(
            status="done",
            called_at=now,
            started_at=now,
            finished_at=now + datetime.timedelta(minutes=wait // 2),
            arrived_at=now - datetime.timedelta(minutes=wait),
            counter=counter,
        )
    QueueTicket.objects.filter(pk=appt.pk).update(
        status="no_show", called_at=now, arrived_at=now - datetime.timedelta(minutes=5)
    )
    visit_mark_purchase(visit_id=tickets[0].visit_id)
    issue(ktp)  # still waiting
    with django_assert_max_num_queries(1):
        total, per_service = queue_kpis(outlet=outlet, date=timezone.localdate())
    assert total.tickets == 6 and total.served == 4
    assert total.no_show_rate == pytest.approx(1 / 5)
    assert total.appointment_share == pytest.approx(1 / 6)
    assert (total.visits, total.visits_bought) == (6, 1)
    ktp_kpi = next(k for k in per_service if k.service_name == "KTP-el")
    assert (ktp_kpi.avg_wait_minutes, ktp_kpi.p90_wait_minutes, ktp_kpi.avg_service_minutes) == (25.0, 40.0, 12.5)
    assert ktp_kpi.conversion_rate == pytest.approx(1 / 5)


@pytest.mark.django_db
def test_a_transferred_ticket_counts_once(issue, ktp, listrik, counter, officer, outlet):
    from services_desk.services import queue

    issue(ktp)
    queue.ticket_transfer(
        ticket=queue.ticket_call_next(counter=counter, officer=officer), officer=officer, service=listrik
    )
    total, _ = queue_kpis(outlet=outlet, date=timezone.localdate())
    assert total.tickets == 1
