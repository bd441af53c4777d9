from celery import shared_task


@shared_task(ignore_result=True)
def orders_expire_overdue_task() -> int:
    from .services.order_expiry import orders_expire_overdue

    return orders_expire_overdue()


@shared_task(ignore_result=True)
def settlements_close_previous_month_task() -> int:
    from .services.settlements import settlements_close_previous_month

    return settlements_close_previous_month()
