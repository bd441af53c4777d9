BEAT_SCHEDULE = {
    "services_desk-webhook-retry": {"task": "services_desk.tasks.webhook_retry_due_task", "schedule": 60.0},
    "services_desk-documents-purge": {"task": "services_desk.tasks.documents_purge_task", "schedule": 6 * 3600.0},
}
