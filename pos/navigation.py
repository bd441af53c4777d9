from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("Cashier"), "pos:home", permission="pos.add_sale", order=30),
    NavItem(_("Terminals"), "pos:terminals", permission="pos.change_terminal", order=31),
]
