BEAT_SCHEDULE = {
    "payments-reconcile": {"task": "commerce.payments.tasks.payments_reconcile_task", "schedule": 5 * 60},
}
