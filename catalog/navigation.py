from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("UMKM products"), "catalog:product-list", order=20),
    NavItem(_("My UMKM"), "catalog:owner-dashboard", permission="catalog.deliver_stock", order=200),
    NavItem(_("Curation"), "catalog:curation", permission="catalog.review_product", order=210),
    NavItem(_("Café stock"), "catalog:outlet-stock", permission="catalog.receive_stock", order=220),
]
