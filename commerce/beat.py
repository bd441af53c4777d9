BEAT_SCHEDULE = {
    "commerce-orders-expire-overdue": {"task": "commerce.tasks.orders_expire_overdue_task", "schedule": 300},
}
