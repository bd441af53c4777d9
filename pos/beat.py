BEAT_SCHEDULE = {
    "pos-expire-unpaid-qris": {"task": "pos.tasks.sales_expire_unpaid_task", "schedule": 60.0},
}
