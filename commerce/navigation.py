from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("Cart"), "commerce:cart", order=30),
    NavItem(_("My orders"), "commerce:my-orders", authenticated=True, order=31),
    NavItem(_("Café orders"), "commerce:staff-orders", permission="commerce.view_order", order=60),
    NavItem(_("Settlements"), "commerce:settlements", permission="commerce.view_own_settlement", order=62),
    NavItem(_("UMKM payouts"), "commerce:settlement-month", permission="commerce.view_settlement", order=63),
]
