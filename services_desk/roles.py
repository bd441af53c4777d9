"""Permissions of the service desk per role (collected by roles_sync)."""

_CATALOGUE_ADMIN = [
    "services_desk.view_agency",
    "services_desk.add_agency",
    "services_desk.change_agency",
    "services_desk.manage_api_clients",
    "services_desk.view_service",
    "services_desk.add_service",
    "services_desk.change_service",
    "services_desk.view_counter",
    "services_desk.add_counter",
    "services_desk.change_counter",
    "services_desk.view_kiosk",
    "services_desk.add_kiosk",
    "services_desk.change_kiosk",
    "services_desk.view_appointmentslot",
    "services_desk.add_appointmentslot",
    "services_desk.change_appointmentslot",
]

ROLE_PERMISSIONS = {
    "regency_admin": _CATALOGUE_ADMIN + ["services_desk.view_queue_reports", "services_desk.view_queueticket"],
    "outlet_manager": [
        "services_desk.view_counter",
        "services_desk.add_counter",
        "services_desk.change_counter",
        "services_desk.view_kiosk",
        "services_desk.add_kiosk",
        "services_desk.change_kiosk",
        "services_desk.view_appointmentslot",
        "services_desk.add_appointmentslot",
        "services_desk.use_kiosk",
        "services_desk.add_queueticket",
        "services_desk.view_queueticket",
        "services_desk.view_queue_reports",
    ],
    "service_officer": [
        "services_desk.use_kiosk",
        "services_desk.add_queueticket",
        "services_desk.view_queueticket",
        "services_desk.serve_queue",
        "services_desk.add_servicerequest",
        "services_desk.view_servicerequest",
        "services_desk.work_servicerequest",
    ],
    "cashier": ["services_desk.view_queueticket"],
    "customer": ["services_desk.add_appointment", "services_desk.add_servicerequest"],
}
