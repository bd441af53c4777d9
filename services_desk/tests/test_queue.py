"""Queue tickets: numbering, call ordering, counters, recall, transfer, no-show, completion, notifications."""

import datetime

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from services_desk.models import PriorityClass, QueueTicket, TicketSource, TicketStatus
from services_desk.services import queue


@pytest.mark.django_db
def test_numbers_run_per_prefix_per_cafe_and_format(issue, ktp, kk, listrik, other_outlet):
    # given two services sharing prefix A and one with prefix E
    a1, a2, e1, a3 = issue(ktp), issue(kk), issue(listrik), issue(ktp)
    # then prefix A counts 1, 2, 3 across both services and E starts on its own
    assert [a1.display_number, a2.display_number, a3.display_number] == ["A-001", "A-002", "A-003"]
    assert e1.display_number == "E-001"
    # and each ticket opened its own visit at the café
    assert a1.visit.outlet_id == a1.outlet_id and a1.visit_id != a2.visit_id


@pytest.mark.django_db
def test_a_new_day_restarts_the_series(issue, ktp, monkeypatch):
    assert issue(ktp).number == 1
    assert issue(ktp).number == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(queue, "business_date_today", lambda: tomorrow)
    monkeypatch.setattr("accounts.services.visits.business_date_today", lambda: tomorrow)
    ticket = issue(ktp)
    assert (ticket.number, ticket.business_date) == (1, tomorrow)


@pytest.mark.django_db
def test_refusals_change_nothing(issue, ktp, outlet, other_outlet, dukcapil):
    from services_desk.services.catalogue import service_upsert

    booking_only = service_upsert(
        agency=dukcapil, slug="pbg", name="PBG", prefix="B", requires_appointment=True, outlets=[outlet]
    )
    with pytest.raises(DomainError) as exc:
        issue(booking_only)
    assert exc.value.code == "appointment_required"
    with pytest.raises(DomainError) as exc:
        issue(ktp, phone="12")
    assert exc.value.field == "phone"
    with pytest.raises(DomainError) as exc:
        queue.ticket_issue(outlet=other_outlet, service=ktp, print_ticket=False)
    assert exc.value.code == "service_not_offered"
    with pytest.raises(DomainError):
        issue(ktp, priority="vip")
    assert QueueTicket.objects.count() == 0


@pytest.mark.django_db
def test_call_order_due_appointment_then_priority_then_arrival(issue, ktp, counter, officer):
    now = timezone.now()
    walk_in_early = issue(ktp, minutes_ago=30)
    elderly = issue(ktp, minutes_ago=5, priority=PriorityClass.ELDERLY)
    walk_in_late = issue(ktp, minutes_ago=20)
    due = issue(ktp, minutes_ago=1, source=TicketSource.APPOINTMENT, due_at=now - datetime.timedelta(minutes=5))
    early_appt = issue(ktp, minutes_ago=40, source=TicketSource.APPOINTMENT, due_at=now + datetime.timedelta(hours=1))
    missed = issue(ktp, minutes_ago=25, source=TicketSource.APPOINTMENT, due_at=now - datetime.timedelta(minutes=60))
    order = []
    for _ in range(6):
        ticket = queue.ticket_call_next(counter=counter, officer=officer)
        order.append(ticket.pk)
        queue.ticket_complete(ticket=ticket, officer=officer)
    # due appointment, priority class, then arrival (the missed appointment waits as a walk-in), early appointment last
    assert order == [due.pk, elderly.pk, walk_in_early.pk, missed.pk, walk_in_late.pk, early_appt.pk]


@pytest.mark.django_db
def test_counter_calls_only_its_services_and_one_ticket_at_a_time(issue, ktp, listrik, counter, officer):
    issue(listrik)
    with pytest.raises(DomainError) as exc:
        queue.ticket_call_next(counter=counter, officer=officer)
    assert exc.value.code == "queue_empty"
    first = issue(ktp)
    issue(ktp)
    assert queue.ticket_call_next(counter=counter, officer=officer).pk == first.pk
    with pytest.raises(DomainError) as exc:
        queue.ticket_call_next(counter=counter, officer=officer)
    assert exc.value.code == "counter_busy"
    assert QueueTicket.objects.filter(status=TicketStatus.CALLED).count() == 1


@pytest.mark.django_db
def test_a_ticket_cannot_be_served_by_two_officers(issue, ktp, counter, counter2, officer, officer2):
    a, b = issue(ktp), issue(ktp)
    first = queue.ticket_call_next(counter=counter, officer=officer)
    second = queue.ticket_call_next(counter=counter2, officer=officer2)
    assert {first.pk, second.pk} == {a.pk, b.pk}
    # the other officer cannot act on a ticket called to a counter they do not serve
    from services_desk.models import AgencyStaff

    AgencyStaff.objects.filter(user=officer2).delete()
    officer2._desk_agency_ids = None
    with pytest.raises(DomainError) as exc:
        queue.ticket_start(ticket=first, officer=officer2)
    assert exc.value.code == "permission_denied"
    first.refresh_from_db()
    assert first.status == TicketStatus.CALLED and first.counter_id == counter.pk


@pytest.mark.django_db
def test_officer_of_another_agency_cannot_use_the_counter(issue, ktp, counter, pln_officer):
    issue(ktp)
    with pytest.raises(DomainError) as exc:
        queue.ticket_call_next(counter=counter, officer=pln_officer)
    assert exc.value.code == "permission_denied"
    assert QueueTicket.objects.get().status == TicketStatus.ISSUED


@pytest.mark.django_db
def test_recall_start_complete_records_times_and_notes(issue, ktp, counter, officer):
    issue(ktp)
    ticket = queue.ticket_call_next(counter=counter, officer=officer)
    ticket = queue.ticket_recall(ticket=ticket, officer=officer)
    assert ticket.call_count == 2
    ticket = queue.ticket_start(ticket=ticket, officer=officer)
    assert ticket.status == TicketStatus.SERVING and ticket.started_at
    with pytest.raises(DomainError):
        queue.ticket_recall(ticket=ticket, officer=officer)
    ticket = queue.ticket_complete(ticket=ticket, officer=officer, notes="KTP dicetak")
    assert (ticket.status, ticket.notes) == (TicketStatus.DONE, "KTP dicetak")
    with pytest.raises(DomainError) as exc:
        queue.ticket_complete(ticket=ticket, officer=officer)
    assert exc.value.code == "invalid_transition"


@pytest.mark.django_db
def test_no_show_only_after_n_calls(issue, ktp, counter, officer, settings):
    issue(ktp)
    ticket = queue.ticket_call_next(counter=counter, officer=officer)
    with pytest.raises(DomainError) as exc:
        queue.ticket_no_show(ticket=ticket, officer=officer)
    assert exc.value.code == "not_enough_calls"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED
    ticket = queue.ticket_recall(ticket=ticket, officer=officer)
    assert queue.ticket_no_show(ticket=ticket, officer=officer).status == TicketStatus.NO_SHOW
    # the counter is free again
    issue(ktp)
    assert queue.ticket_call_next(counter=counter, officer=officer).number == 2


@pytest.mark.django_db
def test_transfer_keeps_number_visit_and_arrival(issue, ktp, listrik, counter, officer, pln_counter, pln_officer):
    original = issue(ktp, minutes_ago=30)
    later_walk_in = issue(listrik, minutes_ago=2)
    called = queue.ticket_call_next(counter=counter, officer=officer)
    moved = queue.ticket_transfer(ticket=called, officer=officer, service=listrik, notes="perlu pasang listrik")
    called.refresh_from_db()
    assert called.status == TicketStatus.TRANSFERRED
    assert (moved.display_number, moved.visit_id, moved.arrived_at) == ("A-001", original.visit_id, original.arrived_at)
    assert moved.service_id == listrik.pk and moved.transferred_from_id == original.pk
    # it keeps its place by original arrival at the new service
    assert queue.ticket_call_next(counter=pln_counter, officer=pln_officer).pk == moved.pk
    assert later_walk_in.status == TicketStatus.ISSUED


@pytest.mark.django_db
def test_transfer_to_a_counter_only_that_counter_calls_it(issue, ktp, counter, counter2, officer, officer2):
    issue(ktp)
    called = queue.ticket_call_next(counter=counter, officer=officer)
    moved = queue.ticket_transfer(ticket=called, officer=officer, counter=counter2)
    issue(ktp)  # a newer walk-in
    queue.ticket_complete(ticket=queue.ticket_call_next(counter=counter, officer=officer), officer=officer)
    with pytest.raises(DomainError):
        queue.ticket_call_next(counter=counter, officer=officer)  # the transferred ticket is not for counter 1
    assert queue.ticket_call_next(counter=counter2, officer=officer2).pk == moved.pk


@pytest.mark.django_db
def test_transfer_refusals(issue, ktp, counter, officer, other_outlet, dukcapil):
    from services_desk.services.catalogue import counter_upsert

    issue(ktp)
    called = queue.ticket_call_next(counter=counter, officer=officer)
    with pytest.raises(DomainError):
        queue.ticket_transfer(ticket=called, officer=officer)
    with pytest.raises(DomainError):
        queue.ticket_transfer(ticket=called, officer=officer, service=ktp)
    elsewhere = counter_upsert(outlet=other_outlet, number=1, agency=dukcapil, services=[ktp])
    with pytest.raises(DomainError):
        queue.ticket_transfer(ticket=called, officer=officer, counter=elsewhere)
    called.refresh_from_db()
    assert called.status == TicketStatus.CALLED
    assert QueueTicket.objects.count() == 1


@pytest.mark.django_db
def test_your_turn_is_near_message_once(issue, ktp, counter, officer, django_capture_on_commit_callbacks):
    from core.messaging import ConsoleProvider

    ConsoleProvider.sent.clear()
    issue(ktp)
    second = issue(ktp, phone="081234567890")
    issue(ktp, phone="081234567891")
    issue(ktp, phone="081234567892")  # third in line after the call: too far
    with django_capture_on_commit_callbacks(execute=True):
        queue.ticket_call_next(counter=counter, officer=officer)
    assert [m.phone for m in ConsoleProvider.sent] == ["+6281234567890", "+6281234567891"]
    assert second.display_number in ConsoleProvider.sent[0].body
    queue.ticket_complete(ticket=QueueTicket.objects.get(status="called"), officer=officer)
    with django_capture_on_commit_callbacks(execute=True):
        queue.ticket_call_next(counter=counter, officer=officer)
    assert [m.phone for m in ConsoleProvider.sent][-1] == "+6281234567892"
    assert len(ConsoleProvider.sent) == 3


@pytest.mark.django_db
def test_estimated_wait_counts_people_ahead_and_open_counters(issue, ktp, counter, counter2):
    first = issue(ktp, minutes_ago=3)
    issue(ktp, minutes_ago=2)
    third = issue(ktp, minutes_ago=1)
    assert queue.ticket_estimated_wait_minutes(ticket=first) == 0
    # two ahead × 10 minutes ÷ 2 counters
    assert queue.ticket_estimated_wait_minutes(ticket=third) == 10


@pytest.mark.django_db
def test_cancel_a_waiting_ticket(issue, ktp):
    ticket = queue.ticket_cancel(ticket=issue(ktp))
    assert ticket.status == TicketStatus.CANCELLED
    with pytest.raises(DomainError):
        queue.ticket_cancel(ticket=ticket)
