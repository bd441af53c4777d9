"""The printed queue ticket: number, service, café, time, estimated wait, visit code and QR, survey QR.

Never a NIK or any other personal data: the ticket is a public piece of paper.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.printing import escpos_render, print_job_create

from .models import Kiosk, QueueTicket

SURVEY_SALT = "services_desk.survey"
REQUIREMENTS_ON_TICKET = 3


def survey_token(ticket: QueueTicket) -> str:
    return signing.Signer(salt=SURVEY_SALT).sign(str(ticket.pk))


def survey_ticket_id(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=SURVEY_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def survey_url(ticket: QueueTicket) -> str:
    return settings.SITE_URL + reverse("services_desk:survey", args=[survey_token(ticket)])


def ticket_lines(*, ticket: QueueTicket, estimated_wait: int) -> dict:
    """Return the texts printed on (and shown for) a ticket."""
    issued = timezone.localtime(ticket.arrived_at)
    requirements = [str(r) for r in (ticket.service.requirements or [])][:REQUIREMENTS_ON_TICKET]
    return {
        "outlet": ticket.outlet.name,
        "service": ticket.service.name,
        "agency": ticket.service.agency.short_name,
        "number": ticket.display_number,
        "time": f"{issued:%d/%m/%Y %H.%M} WIB",
        "wait": _("Estimated wait: %(minutes)s minutes") % {"minutes": estimated_wait},
        "visit_code": ticket.visit.code,
        "visit_qr": ticket.visit.qr_payload,
        "requirements": requirements,
        "survey_url": survey_url(ticket),
    }


def ticket_render(*, ticket: QueueTicket, estimated_wait: int) -> bytes:
    """Render the ticket into ESC/POS bytes."""
    lines = ticket_lines(ticket=ticket, estimated_wait=estimated_wait)

    def build(p) -> None:
        p.set(align="center", bold=True)
        p.textln(lines["outlet"])
        p.set(align="center", bold=False)
        p.textln(_("Queue ticket"))
        p.textln(f"{lines['service']} ({lines['agency']})")
        p.set(align="center", bold=True, double_height=True, double_width=True)
        p.textln(lines["number"])
        p.set(align="center", bold=False, normal_textsize=True)
        p.textln(lines["time"])
        p.textln(lines["wait"])
        p.textln(_("Visit code: %(code)s") % {"code": lines["visit_code"]})
        p.qr(lines["visit_qr"], size=5, native=False)
        if lines["requirements"]:
            p.set(align="left")
            p.textln(_("Please have ready:"))
            for item in lines["requirements"]:
                p.textln(f"- {item[:44]}")
        p.set(align="center")
        p.textln(_("Rate our service afterwards:"))
        p.qr(lines["survey_url"], size=4, native=False)
        p.textln(_("Browse UMKM products while you wait!"))
        p.cut()

    return escpos_render(build)


def ticket_print(*, ticket: QueueTicket, kiosk: Kiosk | None = None, estimated_wait: int | None = None):
    """Queue the ticket for printing at the kiosk's printer (delivered after commit)."""
    from .services.queue import ticket_estimated_wait_minutes

    if estimated_wait is None:
        estimated_wait = ticket_estimated_wait_minutes(ticket=ticket)
    url = (kiosk.printer_url if kiosk and kiosk.printer_url else "") or settings.DEFAULT_PRINTER_URL
    return print_job_create(
        printer_url=url,
        document=f"ticket:{ticket.outlet.code}-{ticket.display_number}",
        data=ticket_render(ticket=ticket, estimated_wait=estimated_wait),
    )
