"""ESC/POS documents of the register: sale receipts, refund slips, X and Z reports.

Each document is rendered once with python-escpos into bytes (see `core.printing`) in
the café's language (Bahasa Indonesia by default), with the terminal's paper width,
and queued as a print job that is delivered after the transaction commits.
"""

from __future__ import annotations

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import PrintJob
from core.money import format_rupiah
from core.printing import escpos_render, print_job_create

from .models import PaymentMethod, Sale, SalePaymentStatus, Shift, ShiftReport, ShiftReportKind, Terminal


def receipt_url(sale: Sale) -> str:
    """Return the public address of the digital receipt (reachable only by its unguessable token)."""
    return settings.SITE_URL + reverse("pos:receipt", args=[sale.receipt_token])


def _wib(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H.%M") + " WIB"


def _pair(left: str, right: str, width: int) -> str:
    space = width - len(left) - len(right)
    if space < 1:
        return f"{left}\n{right.rjust(width)}\n"
    return f"{left}{' ' * space}{right}\n"


def _wrap(text: str, width: int, indent: str = "") -> str:
    words, lines, current = text.split(), [], indent
    for word in words:
        if len(current) + len(word) + (1 if current.strip() else 0) > width and current.strip():
            lines.append(current)
            current = indent + word
        else:
            current = f"{current} {word}" if current.strip() else current + word
    if current.strip():
        lines.append(current)
    return "".join(line[:width] + "\n" for line in lines)


def _qr_image(content: str, *, size: int):
    """Return the QR as an image, printed as a raster so every ESC/POS printer can print it.

    A fixed mask pattern skips qrcode's search over all eight masks (the slow part of rendering);
    any mask gives a valid, readable code.
    """
    code = qrcode.QRCode(version=None, box_size=size, border=1, mask_pattern=0)
    code.add_data(content)
    code.make(fit=True)
    return code.make_image()._img.convert("RGB")


def _header(p, terminal: Terminal, width: int) -> None:
    outlet = terminal.outlet
    p.set(align="center", bold=True, double_height=True)
    p.text(_wrap(outlet.name.upper(), width))
    p.set(align="center", bold=False, normal_textsize=True)
    if outlet.full_address:
        p.text(_wrap(outlet.full_address, width))
    if outlet.phone:
        p.text(f"{outlet.phone}\n")
    p.set(align="left")


def sale_receipt_lines(sale: Sale, *, reprint: bool = False) -> dict:
    """Return what a receipt shows (used by the printed and the digital receipt alike)."""
    lines = list(sale.lines.all())
    payments = [pay for pay in sale.payments.all() if pay.status == SalePaymentStatus.PAID]
    vendors = sorted({line.vendor_name for line in lines})
    return {"lines": lines, "payments": payments, "vendors": vendors, "reprint": reprint}


def sale_receipt_render(sale: Sale, *, reprint: bool = False) -> bytes:
    """Render the receipt of a sale into ESC/POS bytes."""
    terminal = sale.terminal
    width = terminal.line_chars
    info = sale_receipt_lines(sale, reprint=reprint)
    rule = "-" * width + "\n"

    def build(p):
        with translation.override(settings.LANGUAGE_CODE):
            _header(p, terminal, width)
            if reprint or sale.offline:
                p.set(align="center", bold=True, invert=True)
                marks = []
                if reprint:
                    marks.append(_("REPRINT"))
                if sale.offline:
                    marks.append(_("OFFLINE"))
                p.text(" " + " · ".join(marks).replace(" · ", " - ") + " \n")
                p.set(align="left", bold=False, invert=False)
            p.text(rule)
            p.text(_pair(_("Receipt no."), sale.number, width))
            p.text(_pair(_("Date"), _wib(sale.sold_at), width))
            p.text(_pair(_("Cashier"), str(sale.cashier)[: width - 8], width))
            p.text(_pair(_("Terminal"), terminal.name, width))
            if sale.visit_id:
                p.text(_pair(_("Visit"), sale.visit.code, width))
            p.text(rule)
            for line in info["lines"]:
                p.text(_wrap(line.product_name, width))
                p.text(
                    _pair(
                        f"  {line.quantity} x {format_rupiah(line.unit_price)}",
                        format_rupiah(line.quantity * line.unit_price),
                        width,
                    )
                )
                if line.discount:
                    label = _("  Discount")
                    if line.discount_reason:
                        label = f"{label} ({line.discount_reason})"[: width - 12]
                    p.text(_pair(label, format_rupiah(-line.discount), width))
                p.text(_wrap(f"UMKM: {line.vendor_name}", width, indent="  "))
            p.text(rule)
            p.text(_pair(_("Subtotal"), format_rupiah(sale.subtotal), width))
            if sale.discount_total:
                p.text(_pair(_("Discount"), format_rupiah(-sale.discount_total), width))
            p.set(bold=True)
            p.text(_pair(_("TOTAL"), format_rupiah(sale.total), width))
            p.set(bold=False)
            for pay in info["payments"]:
                if pay.method == PaymentMethod.CASH:
                    p.text(_pair(_("Cash"), format_rupiah(pay.tendered or pay.amount), width))
                else:
                    p.text(_pair("QRIS", format_rupiah(pay.amount), width))
            p.text(_pair(_("Change given"), format_rupiah(sale.change), width))
            if sale.refunded_total:
                p.text(_pair(_("Refunded"), format_rupiah(-sale.refunded_total), width))
            p.text(rule)
            p.text(_wrap(_("UMKM products: %(names)s") % {"names": ", ".join(info["vendors"])}, width))
            p.text(rule)
            p.set(align="center")
            p.text("\n")
            p.image(_qr_image(receipt_url(sale), size=4 if width >= 48 else 3), center=True)
            p.text("\n")
            p.text(_("Scan for the digital receipt") + "\n")
            p.text(_wrap(settings.POS_RECEIPT_FOOTER, width))
            if reprint:
                p.text(_("Reprinted %(when)s") % {"when": _wib(timezone.now())} + "\n")
            p.set(align="left")
            p.cut()

    return escpos_render(build)


def sale_receipt_print(*, sale: Sale, reprint: bool = False) -> PrintJob:
    """Queue the receipt of a sale for the terminal's printer (delivered after commit)."""
    data = sale_receipt_render(sale, reprint=reprint)
    document = f"receipt:{sale.number}" + (":reprint" if reprint else "")
    return print_job_create(printer_url=sale.terminal.effective_printer_url, document=document, data=data)


def sale_qris_render(sale: Sale, *, qr_string: str, expires_at=None) -> bytes:
    """Render the QRIS code of a sale awaiting payment, for a customer who cannot see the screen."""
    terminal = sale.terminal
    width = terminal.line_chars

    def build(p):
        with translation.override(settings.LANGUAGE_CODE):
            _header(p, terminal, width)
            p.text("-" * width + "\n")
            p.set(align="center", bold=True, double_height=True)
            p.text("QRIS\n")
            p.text(format_rupiah(sale.qris_amount) + "\n")
            p.set(align="center", bold=False, normal_textsize=True)
            p.text(_pair(_("Receipt no."), sale.number, width))
            p.text("\n")
            p.image(_qr_image(qr_string, size=6 if width >= 48 else 4), center=True)
            p.text("\n")
            p.text(_wrap(_("Scan with any QRIS payment app."), width))
            if expires_at:
                p.text(_("Valid until %(when)s") % {"when": _wib(expires_at)} + "\n")
            p.text(_wrap(_("This is not a receipt."), width))
            p.set(align="left")
            p.cut()

    return escpos_render(build)


def sale_qris_print(*, sale: Sale, qr_string: str, expires_at=None) -> PrintJob:
    """Queue the QRIS code of a sale for the terminal's printer (delivered after commit)."""
    data = sale_qris_render(sale, qr_string=qr_string, expires_at=expires_at)
    return print_job_create(printer_url=sale.terminal.effective_printer_url, document=f"qris:{sale.number}", data=data)


def shift_report_render(report: ShiftReport) -> bytes:
    """Render an X or Z report into ESC/POS bytes."""
    shift: Shift = report.shift
    terminal = shift.terminal
    width = terminal.line_chars
    data = report.data
    rule = "-" * width + "\n"

    def money(key):
        return format_rupiah(int(data.get(key, 0)))

    def build(p):
        with translation.override(settings.LANGUAGE_CODE):
            _header(p, terminal, width)
            p.set(align="center", bold=True)
            p.text((_("X REPORT") if report.kind == ShiftReportKind.X else _("Z REPORT")) + "\n")
            p.set(align="left", bold=False)
            p.text(rule)
            p.text(_pair(_("Terminal"), terminal.name, width))
            p.text(_pair(_("Cashier"), str(shift.cashier)[: width - 8], width))
            p.text(_pair(_("Opened"), _wib(shift.opened_at), width))
            if shift.closed_at:
                p.text(_pair(_("Closed"), _wib(shift.closed_at), width))
            p.text(_pair(_("Printed"), _wib(report.created_at), width))
            p.text(rule)
            p.text(_pair(_("Sales"), f"{data.get('sales_count', 0)}", width))
            p.text(_pair(_("Sales total"), money("sales_total"), width))
            p.text(_pair(_("  Cash"), money("sales_cash"), width))
            p.text(_pair("  QRIS", money("sales_qris"), width))
            p.text(_pair(_("Discounts"), money("discounts"), width))
            p.text(_pair(_("Refunds") + f" ({data.get('refunds_count', 0)})", money("refunds_total"), width))
            p.text(_pair(_("  Cash refunds"), money("refunds_cash"), width))
            p.text(_pair(_("  QRIS refunds"), money("refunds_qris"), width))
            p.text(rule)
            p.text(_pair(_("Opening float"), money("opening_cash"), width))
            p.text(_pair(_("Cash in"), money("cash_in"), width))
            p.text(_pair(_("Cash out"), money("cash_out"), width))
            p.text(_pair(_("Expected cash"), money("expected_cash"), width))
            if "counted_cash" in data:
                p.text(_pair(_("Counted cash"), money("counted_cash"), width))
                p.text(_pair(_("Difference"), money("difference"), width))
                if data.get("difference_note"):
                    p.text(_wrap(data["difference_note"], width, indent="  "))
            if data.get("offline_sales") or data.get("late_sync_sales") or data.get("oversold_sales"):
                p.text(_pair(_("Offline sales"), f"{data.get('offline_sales', 0)}", width))
                p.text(_pair(_("Synced late"), f"{data.get('late_sync_sales', 0)}", width))
                p.text(_pair(_("Sold without stock"), f"{data.get('oversold_sales', 0)}", width))
            p.text(rule)
            p.text(_("Sales per UMKM") + "\n")
            for row in data.get("per_vendor", []):
                p.text(_wrap(row["vendor"], width))
                p.text(_pair(f"  {row['quantity']} pcs", format_rupiah(int(row["total"])), width))
            p.cut()

    return escpos_render(build)


def shift_report_print(*, report: ShiftReport) -> PrintJob:
    data = shift_report_render(report)
    return print_job_create(
        printer_url=report.shift.terminal.effective_printer_url,
        document=f"report:{report.kind}:{report.shift_id}:{report.pk}",
        data=data,
    )
