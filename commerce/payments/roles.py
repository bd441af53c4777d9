ROLE_PERMISSIONS = {
    "regency_admin": [
        "payments.view_payment",
        "payments.check_payment_status",
        "payments.review_flagged_payment",
        "payments.refund_payment",
        "payments.view_paymentnotification",
    ],
    "outlet_manager": ["payments.view_payment", "payments.check_payment_status", "payments.refund_payment"],
    # A cashier asks Midtrans at once when a customer's phone says "paid" and the POS does not.
    "cashier": ["payments.view_payment", "payments.check_payment_status"],
}
