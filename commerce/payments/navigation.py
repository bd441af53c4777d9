from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("Flagged payments"), "payments:flagged", permission="payments.review_flagged_payment", order=850),
]
