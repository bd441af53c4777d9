"""Periodic work of the catalogue (scheduled in `beat.py`)."""

from celery import shared_task


@shared_task(ignore_result=True)
def permits_suspend_expired_task() -> int:
    """Suspend approved products whose permit has expired."""
    from .services.products import products_suspend_expired_permits

    return products_suspend_expired_permits()


@shared_task(ignore_result=True)
def reservations_expire_task() -> int:
    """Mark reservations past their end as expired."""
    from .services.stock import reservations_expire

    return reservations_expire()
