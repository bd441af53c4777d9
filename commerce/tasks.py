from celery import shared_task


@shared_task(ignore_result=True)
def orders_expire_overdue_task() -> int:
    from .services.order_expiry import orders_expire_overdue

    return orders_expire_overdue()
