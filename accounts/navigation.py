from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("Cafés"), "accounts:outlets", order=10),
    NavItem(_("Administration"), "admin:index", permission="accounts.manage_staff", order=900),
]
