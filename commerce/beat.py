BEAT_SCHEDULE = {
    "commerce-orders-expire-overdue": {"task": "commerce.tasks.orders_expire_overdue_task", "schedule": 300},
    # Idempotent: closes last month once, on SETTLEMENT_CLOSE_AFTER_DAYS; later runs find it closed.
    "commerce-settlements-close-previous-month": {
        "task": "commerce.tasks.settlements_close_previous_month_task",
        "schedule": 3600,
    },
}
