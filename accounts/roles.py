"""Roles are Django groups with explicit permissions; each app adds its own in its `roles.py`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGENCY_ADMIN = "regency_admin", _("Regency admin")
    OUTLET_MANAGER = "outlet_manager", _("Outlet manager")
    CASHIER = "cashier", _("Cashier")
    SERVICE_OFFICER = "service_officer", _("Service officer")
    CURATOR = "curator", _("Curator (Dinas Komidag)")
    UMKM_OWNER = "umkm_owner", _("UMKM owner")
    CUSTOMER = "customer", _("Customer")


# Staff roles whose access can be limited to some outlets.
OUTLET_BOUND_ROLES = {Role.OUTLET_MANAGER, Role.CASHIER, Role.SERVICE_OFFICER}

ROLE_PERMISSIONS = {
    Role.REGENCY_ADMIN: [
        "accounts.view_outlet",
        "accounts.add_outlet",
        "accounts.change_outlet",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.manage_staff",
        "accounts.view_customer",
        "accounts.change_customer",
        "accounts.view_visit",
        "accounts.open_visit",
        "accounts.view_reports",
    ],
    Role.OUTLET_MANAGER: [
        "accounts.view_outlet",
        "accounts.change_outlet",
        "accounts.view_customer",
        "accounts.view_visit",
        "accounts.open_visit",
        "accounts.view_reports",
    ],
    Role.CASHIER: ["accounts.view_customer", "accounts.add_customer", "accounts.view_visit", "accounts.open_visit"],
    Role.SERVICE_OFFICER: [
        "accounts.view_customer",
        "accounts.add_customer",
        "accounts.view_visit",
        "accounts.open_visit",
    ],
    Role.CURATOR: [],
    Role.UMKM_OWNER: [],
    Role.CUSTOMER: [],
}
