"""ESC/POS receipts: content on python-escpos' Dummy printer, a real TCP printer, failures kept for reprint."""

import socket
import threading

import pytest

from core.models import PrintJob, PrintJobStatus
from core.printing import print_job_deliver
from pos.receipts import receipt_url, sale_receipt_render
from pos.services.receipts import receipt_reprint
from pos.services.terminals import terminal_update


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


def _dead_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.mark.django_db
def test_receipt_shows_everything_a_receipt_needs(sell, make_variant, outlet, vendor, make_vendor, other_owner):
    from accounts.services.customers import customer_get_or_create
    from accounts.services.visits import visit_open

    second_vendor = make_vendor(name="Batik Trenggalek Jaya", user=other_owner)
    keripik = make_variant(name="Keripik Tempe", price=15000)
    batik = make_variant(name="Batik Tulis", price=250000, vendor_=second_vendor)
    customer = customer_get_or_create(phone="081234560099", name="Siti")
    visit = visit_open(outlet=outlet, channel="kiosk", customer=customer)
    sale = sell((keripik, 2), (batik, 1), tendered=300000, visit=visit)
    text = sale_receipt_render(sale).decode("cp437", errors="replace")

    assert "GALERI GEMILANG" in text
    assert sale.number in text
    assert "WIB" in text and sale.sold_at.astimezone().strftime("%Y") in text
    assert "kasir" in text.lower()
    assert "2 x Rp15.000" in text and "Rp30.000" in text and "1 x Rp250.000" in text
    assert "TOTAL" in text and "Rp280.000" in text
    assert "Tunai" in text and "Rp300.000" in text and "Kembalian" in text and "Rp20.000" in text
    assert vendor.name in text and "Batik Trenggalek Jaya" in text
    assert visit.code in text
    assert "Terima kasih" in text
    assert "\x1dv0" in text  # the QR to the digital receipt, printed as an image
    assert "CETAK ULANG" not in text and "OFFLINE" not in text
    assert customer.phone not in text and "Siti" not in text  # no personal data on paper


@pytest.mark.django_db
def test_reprint_and_offline_receipts_are_marked(sell, variant):
    sale = sell((variant, 1))
    assert "CETAK ULANG" in sale_receipt_render(sale, reprint=True).decode("cp437", errors="replace")
    offline = sell((variant, 1), offline=True)
    assert "OFFLINE" in sale_receipt_render(offline).decode("cp437", errors="replace")


@pytest.mark.django_db
def test_58mm_paper_uses_narrow_lines(sell, variant, terminal):
    terminal_update(terminal=terminal, paper_width=58)
    sale = sell((variant, 1))
    sale.terminal.refresh_from_db()
    text = sale_receipt_render(sale).decode("cp437", errors="replace")
    assert "-" * 32 + "\n" in text and "-" * 33 not in text


@pytest.mark.django_db
def test_sale_receipt_reaches_a_network_printer(sell, variant, terminal, django_capture_on_commit_callbacks):
    port, received, thread = _listen()
    terminal_update(terminal=terminal, printer_url=f"tcp://127.0.0.1:{port}")
    with django_capture_on_commit_callbacks(execute=True):
        sale = sell((variant, 1))
    thread.join(timeout=5)
    job = PrintJob.objects.get(document=f"receipt:{sale.number}")
    assert job.status == PrintJobStatus.PRINTED
    assert bytes(received) == bytes(job.data)
    assert sale.number.encode() in received


@pytest.mark.django_db
def test_unreachable_printer_keeps_the_sale_and_the_job_and_reprint_works(
    sell, variant, terminal, cashier, settings, django_capture_on_commit_callbacks
):
    settings.PRINTER_TIMEOUT_SECONDS = 1
    terminal_update(terminal=terminal, printer_url=f"tcp://127.0.0.1:{_dead_port()}")
    with django_capture_on_commit_callbacks(execute=True):
        sale = sell((variant, 1))
    failed = PrintJob.objects.get(document=f"receipt:{sale.number}")
    assert failed.status == PrintJobStatus.FAILED and failed.last_error
    assert sale.pk and sale.status == "completed"

    port, received, thread = _listen()
    terminal_update(terminal=terminal, printer_url=f"tcp://127.0.0.1:{port}")
    sale.terminal.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        job = receipt_reprint(sale=sale, user=cashier)
    thread.join(timeout=5)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.PRINTED
    assert b"CETAK ULANG" in received and sale.number.encode() in received
    # The first job is still there to retry as well.
    failed.refresh_from_db()
    assert failed.status == PrintJobStatus.FAILED
    assert print_job_deliver(job=failed).status == PrintJobStatus.FAILED  # the old address is still dead


@pytest.mark.django_db
def test_digital_receipt_page_by_token_only(client, sell, variant):
    sale = sell((variant, 2), tendered=50000)
    response = client.get(receipt_url(sale).replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 200
    body = response.content.decode()
    assert sale.number in body and "Rp30.000" in body and "Rp20.000" in body and variant.product.vendor.name in body
    assert response["X-Robots-Tag"] == "noindex"
    assert client.get("/kasir/struk/tebakan-acak/").status_code == 404
    assert len(sale.receipt_token) >= 32
