"""Permissions of the storefront per role. Shoppers see their own orders by ownership, not by permission."""

ROLE_PERMISSIONS = {
    "regency_admin": [
        "commerce.view_order",
        "commerce.change_order",
        "commerce.fulfil_order",
        "commerce.refund_order",
        "commerce.view_settlement",
        "commerce.view_settlementstatement",
        "commerce.manage_settlement",
        "commerce.view_deliveryfee",
        "commerce.add_deliveryfee",
        "commerce.change_deliveryfee",
        "commerce.delete_deliveryfee",
    ],
    "outlet_manager": [
        "commerce.view_order",
        "commerce.fulfil_order",
        "commerce.refund_order",
        "commerce.view_deliveryfee",
    ],
    "cashier": ["commerce.view_order", "commerce.fulfil_order"],
    "umkm_owner": ["commerce.view_own_settlement"],
}
