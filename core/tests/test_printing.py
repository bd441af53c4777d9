"""Print jobs reach a real TCP socket; an unreachable printer keeps the job for a retry."""

import socket
import threading

import pytest

from core.models import PrintJob, PrintJobStatus
from core.printing import PrinterUrlError, escpos_render, print_job_create, print_job_deliver, printer_url_validate


def _listen():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    received = bytearray()

    def serve():
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(4096):
                received.extend(chunk)
        server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server.getsockname()[1], received, thread


def _document(printer):
    printer.set(align="center")
    printer.text("GALERI GEMILANG\n")
    printer.qr("GMV1:1:20261203:ACDEF", native=False, size=4)
    printer.cut()


@pytest.mark.django_db
def test_job_is_delivered_to_network_printer():
    port, received, thread = _listen()
    data = escpos_render(_document)
    job = print_job_create(printer_url=f"tcp://127.0.0.1:{port}", document="test:1", data=data, deliver=False)
    print_job_deliver(job=job)
    thread.join(timeout=5)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.PRINTED
    assert bytes(received) == data
    assert b"GALERI GEMILANG" in received


@pytest.mark.django_db
def test_unreachable_printer_keeps_the_job_and_retry_prints(settings):
    settings.PRINTER_TIMEOUT_SECONDS = 1
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    dead_port = probe.getsockname()[1]
    probe.close()  # nothing listens here now
    data = escpos_render(_document)
    job = print_job_create(printer_url=f"tcp://127.0.0.1:{dead_port}", document="test:2", data=data, deliver=False)
    print_job_deliver(job=job)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.FAILED
    assert job.last_error
    assert PrintJob.objects.filter(pk=job.pk, data=data).exists()
    # The printer comes back (same job, now pointed at a live socket).
    port, received, thread = _listen()
    PrintJob.objects.filter(pk=job.pk).update(printer_url=f"tcp://127.0.0.1:{port}")
    job.refresh_from_db()
    print_job_deliver(job=job)
    thread.join(timeout=5)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.PRINTED and job.attempts == 2
    assert bytes(received) == data


@pytest.mark.django_db
def test_file_printer_appends(tmp_path):
    target = tmp_path / "printer.out"
    job = print_job_create(printer_url=f"file:{target}", document="t", data=b"abc", deliver=False)
    print_job_deliver(job=job)
    print_job_deliver(job=job)
    assert target.read_bytes() == b"abcabc"


@pytest.mark.parametrize("url", ["", "lpt1", "tcp://", "tcp://host:notaport", "usb://1234", "http://x"])
def test_bad_printer_urls_are_refused(url):
    with pytest.raises(PrinterUrlError):
        printer_url_validate(url)


@pytest.mark.django_db(transaction=True)
def test_job_is_sent_only_after_commit(tmp_path):
    from django.db import transaction

    target = tmp_path / "p.out"
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            print_job_create(printer_url=f"file:{target}", document="t", data=b"x")
            raise RuntimeError("sale rolled back")
    assert not target.exists()
    with transaction.atomic():
        print_job_create(printer_url=f"file:{target}", document="t", data=b"y")
    assert target.read_bytes() == b"y"
