"""Celery beat schedule of the catalogue."""

BEAT_SCHEDULE = {
    "catalog-permits-suspend-expired": {"task": "catalog.tasks.permits_suspend_expired_task", "schedule": 60 * 60},
    "catalog-reservations-expire": {"task": "catalog.tasks.reservations_expire_task", "schedule": 60},
}
