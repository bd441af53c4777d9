"""Permissions of the point-of-sale per role (collected by `roles_sync`)."""

_CASHIER = [
    "pos.view_terminal",
    "pos.view_shift",
    "pos.add_shift",
    "pos.change_shift",
    "pos.add_cashmovement",
    "pos.view_cashmovement",
    "pos.view_sale",
    "pos.add_sale",
    "pos.reprint_receipt",
    "pos.view_shift_report",
]
_SUPERVISOR = _CASHIER + [
    "pos.add_terminal",
    "pos.change_terminal",
    "pos.give_discount",
    "pos.add_refund",
    "pos.view_refund",
]

ROLE_PERMISSIONS = {
    "regency_admin": _SUPERVISOR,
    "outlet_manager": _SUPERVISOR,
    "cashier": _CASHIER,
}
