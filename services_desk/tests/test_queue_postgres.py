"""Concurrency on a real PostgreSQL: gap-free numbers from many kiosks, no ticket called twice."""

import threading

import pytest
from django.db import connection

from services_desk.models import QueueTicket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_threads(n, target):
    errors = []

    def wrapper(i):
        try:
            target(i)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapper, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_200_tickets_from_20_kiosks_are_1_to_200(outlet, ktp):
    from services_desk.services.queue import ticket_issue

    def kiosk(_i):
        for _ in range(10):
            ticket_issue(outlet=outlet, service=ktp, print_ticket=False)

    assert _run_threads(20, kiosk) == []
    numbers = sorted(QueueTicket.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 201))


def test_ten_counters_calling_at_once_never_share_a_ticket(outlet, dukcapil, ktp, make_user):
    from services_desk.services.catalogue import agency_staff_add, counter_upsert
    from services_desk.services.queue import ticket_call_next, ticket_issue

    for _ in range(10):
        ticket_issue(outlet=outlet, service=ktp, print_ticket=False)
    pairs = []
    for i in range(10):
        user = make_user(f"petugas{i}", "service_officer", [outlet])
        agency_staff_add(agency=dukcapil, user=user)
        pairs.append((counter_upsert(outlet=outlet, number=i + 1, agency=dukcapil, services=[ktp]), user))
    called = []

    def counter(i):
        c, user = pairs[i]
        called.append(ticket_call_next(counter=c, officer=user).pk)

    assert _run_threads(10, counter) == []
    assert len(called) == len(set(called)) == 10
    assert QueueTicket.objects.filter(status="called").values("counter").distinct().count() == 10
