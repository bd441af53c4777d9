"""ESC/POS printing shared by receipts (POS) and queue tickets (kiosks).

A document is rendered once into ESC/POS bytes with python-escpos' `Dummy`
printer, stored as a `PrintJob`, and delivered to the device named by a
URL-like setting after the surrounding transaction commits. A failed delivery
keeps the job (status `failed`, with the error) so it can be retried or
reprinted: a printer problem never loses the sale or the ticket.

Printer URLs:
  dummy:                   discard (tests, headless demo)
  file:/path/to/file       append to a file or device node (e.g. /dev/usb/lp0)
  tcp://host:9100          network printer (raw port 9100)
  usb://04b8:0202          USB vendor:product ids (needs python-escpos[usb])
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from escpos.printer import Dummy

from .models import PrintJob, PrintJobStatus

logger = logging.getLogger(__name__)


class PrinterUrlError(ValueError):
    pass


def printer_url_validate(url: str) -> str:
    """Return the URL if it names a supported printer, else raise PrinterUrlError."""
    parsed = urlparse(url or "")
    if parsed.scheme == "dummy":
        return url
    if parsed.scheme == "file" and (parsed.path or parsed.netloc):
        return url
    if parsed.scheme == "tcp" and parsed.hostname:
        try:
            parsed.port  # noqa: B018 - raises on a bad port
        except ValueError:
            raise PrinterUrlError(f"Bad port in printer URL: {url}") from None
        return url
    if parsed.scheme == "usb" and len((parsed.netloc or parsed.path).split(":")) == 2:
        return url
    raise PrinterUrlError(
        f"Unsupported printer URL: {url!r} (use dummy:, file:/path, tcp://host:9100 or usb://vid:pid)"
    )


def escpos_render(build: Callable[[Dummy], None], *, profile: str | None = None) -> bytes:
    """Render a document with python-escpos into raw ESC/POS bytes."""
    printer = Dummy(profile=profile or settings.PRINTER_PROFILE)
    build(printer)
    return printer.output


def _send(url: str, data: bytes) -> None:
    parsed = urlparse(url)
    if parsed.scheme == "dummy":
        return
    if parsed.scheme == "file":
        path = parsed.path or parsed.netloc
        with open(path, "ab") as fh:
            fh.write(data)
        return
    if parsed.scheme == "tcp":
        from escpos.printer import Network

        printer = Network(parsed.hostname, port=parsed.port or 9100, timeout=settings.PRINTER_TIMEOUT_SECONDS)
        try:
            printer._raw(data)
        finally:
            printer.close()
        return
    if parsed.scheme == "usb":
        from escpos.printer import Usb

        vid, pid = (parsed.netloc or parsed.path).split(":")
        printer = Usb(int(vid, 16), int(pid, 16), timeout=int(settings.PRINTER_TIMEOUT_SECONDS * 1000))
        try:
            printer._raw(data)
        finally:
            printer.close()
        return
    raise PrinterUrlError(url)


def print_job_create(*, printer_url: str, document: str, data: bytes, deliver: bool = True) -> PrintJob:
    """Store a rendered document and deliver it after the current transaction commits."""
    printer_url_validate(printer_url)
    job = PrintJob.objects.create(printer_url=printer_url, document=document, data=data)
    if deliver:
        transaction.on_commit(lambda: _deliver_later(job.pk))
    return job


def _deliver_later(job_id: int) -> None:
    from .tasks import print_job_deliver_task

    print_job_deliver_task.delay(job_id)


def print_job_deliver(*, job: PrintJob) -> PrintJob:
    """Send the job's bytes to its printer; record success or the error. Never raises for device errors."""
    PrintJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
    job.attempts += 1
    try:
        _send(job.printer_url, bytes(job.data))
    except Exception as exc:  # device errors of every kind: socket, USB, file permissions
        logger.warning("Print job %s to %s failed: %s", job.pk, job.printer_url, exc)
        job.status = PrintJobStatus.FAILED
        job.last_error = str(exc)[:500]
        job.save(update_fields=["status", "last_error", "updated_at"])
        return job
    job.status = PrintJobStatus.PRINTED
    job.printed_at = timezone.now()
    job.last_error = ""
    job.save(update_fields=["status", "printed_at", "last_error", "updated_at"])
    return job
