"""Demo data of the register: terminal "Kasir 1" at Galeri Gemilang, printing to the default printer."""

from django.db import transaction

from accounts.demo import galeri_gemilang

from .models import Terminal
from .services.terminals import terminal_create


@transaction.atomic
def populate(*, stdout) -> None:
    galeri = galeri_gemilang()
    if not Terminal.objects.filter(outlet=galeri, code="K1").exists():
        # No printer of its own: receipts go to DEFAULT_PRINTER_URL (var/printer.out in the zero-setup run).
        terminal_create(outlet=galeri, name="Kasir 1", code="K1", printer_url="", paper_width=80)
    stdout.write(f"  pos: {Terminal.objects.filter(outlet=galeri).count()} terminal(s) at {galeri.name}")
