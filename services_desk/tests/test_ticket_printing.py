"""The printed ticket: number, service, café, time, wait, visit code and QR, requirements — never a NIK."""

import socket
import threading

import pytest

from core.models import PrintJob, PrintJobStatus


def _receiver():
    """A network printer stand-in: a real TCP socket on 127.0.0.1 collecting what is sent."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    received = bytearray()

    def serve():
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)
        server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server.getsockname()[1], received, thread


@pytest.mark.django_db
def test_ticket_printed_on_a_network_printer(outlet, ktp, django_capture_on_commit_callbacks):
    from services_desk.services.catalogue import kiosk_upsert
    from services_desk.services.queue import ticket_issue

    port, received, thread = _receiver()
    kiosk = kiosk_upsert(outlet=outlet, name="Anjungan 1", printer_url=f"tcp://127.0.0.1:{port}")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_issue(outlet=outlet, service=ktp, kiosk=kiosk)
    thread.join(timeout=5)
    data = bytes(received)
    assert b"A-001" in data
    assert b"KTP-el" in data and outlet.name.encode() in data
    assert ticket.visit.code.encode() in data
    assert b"Kartu Keluarga" in data  # the requirements note
    assert PrintJob.objects.get(document=f"ticket:{outlet.code}-A-001").status == PrintJobStatus.PRINTED


@pytest.mark.django_db
def test_printer_failure_keeps_the_ticket_and_the_job(outlet, ktp, django_capture_on_commit_callbacks):
    from services_desk.services.catalogue import kiosk_upsert
    from services_desk.services.queue import ticket_issue

    # a port nobody listens on
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    kiosk = kiosk_upsert(outlet=outlet, name="Anjungan 2", printer_url=f"tcp://127.0.0.1:{port}")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_issue(outlet=outlet, service=ktp, kiosk=kiosk)
    ticket.refresh_from_db()
    assert ticket.status == "issued"
    assert PrintJob.objects.get().status == PrintJobStatus.FAILED


@pytest.mark.django_db
def test_ticket_never_carries_the_nik(outlet, ktp):
    from accounts.services.customers import customer_get_or_create, customer_set_nik
    from services_desk.services.queue import ticket_issue
    from services_desk.ticket_printing import ticket_lines, ticket_render

    customer = customer_get_or_create(phone="081234567890", name="Siti")
    nik = "3503115208900001"
    customer_set_nik(customer=customer, nik=nik)
    ticket = ticket_issue(outlet=outlet, service=ktp, phone="081234567890", print_ticket=False)
    from accounts.services.visits import visit_attach_customer

    visit_attach_customer(visit=ticket.visit, customer=customer)
    ticket.refresh_from_db()
    data = ticket_render(ticket=ticket, estimated_wait=5)
    text = " ".join(str(v) for v in ticket_lines(ticket=ticket, estimated_wait=5).values())
    for secret in (nik.encode(), b"3503", b"+6281234567890", b"Siti"):
        assert secret not in data
    assert "081234567890" not in text and nik not in text
