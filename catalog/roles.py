"""What each role may do in the catalogue; ownership (own UMKM only) is checked in selectors and views."""

ROLE_PERMISSIONS = {
    "regency_admin": [
        "catalog.view_vendor",
        "catalog.add_vendor",
        "catalog.change_vendor",
        "catalog.manage_all_vendors",
        "catalog.view_product",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.add_category",
        "catalog.change_category",
        "catalog.view_category",
        "catalog.view_stock",
        "catalog.receive_stock",
        "catalog.adjust_stock",
        "catalog.transfer_stock",
        "catalog.view_stockmovement",
        "catalog.view_stockdelivery",
    ],
    "outlet_manager": [
        "catalog.view_stock",
        "catalog.receive_stock",
        "catalog.adjust_stock",
        "catalog.transfer_stock",
        "catalog.view_stockmovement",
        "catalog.view_stockdelivery",
    ],
    "cashier": ["catalog.view_stock"],
    "curator": ["catalog.view_product", "catalog.review_product", "catalog.suspend_product", "catalog.view_vendor"],
    "umkm_owner": [
        "catalog.add_vendor",
        "catalog.change_vendor",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.deliver_stock",
    ],
}
