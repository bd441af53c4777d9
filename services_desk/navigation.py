from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("Public services"), "services_desk:service-list", order=20),
    NavItem(_("My requests"), "services_desk:my-requests", authenticated=True, order=25),
    NavItem(_("Counter"), "services_desk:desk", permission="services_desk.serve_queue", order=30),
    NavItem(_("Request queue"), "services_desk:work-queue", permission="services_desk.work_servicerequest", order=31),
    NavItem(_("Kiosk"), "services_desk:kiosk-select", permission="services_desk.use_kiosk", order=32),
    NavItem(_("Appointment slots"), "services_desk:slots", permission="services_desk.add_appointmentslot", order=79),
    NavItem(_("Queue report"), "services_desk:report", permission="services_desk.view_queue_reports", order=80),
]
