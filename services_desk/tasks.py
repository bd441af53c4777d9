"""Celery tasks of the service desk: webhook delivery and document retention."""

from celery import shared_task


@shared_task(ignore_result=True)
def webhook_deliver_task(delivery_id: int) -> None:
    from .services.webhooks import webhook_delivery_attempt

    webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhook_retry_due_task() -> int:
    from .services.webhooks import webhook_deliveries_retry_due

    return webhook_deliveries_retry_due()


@shared_task(ignore_result=True)
def documents_purge_task() -> int:
    from .services.requests import documents_purge_expired

    return documents_purge_expired()
