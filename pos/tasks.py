from celery import shared_task


@shared_task(ignore_result=True)
def sales_expire_unpaid_task() -> int:
    """Cancel QRIS sales whose code was not paid in time (after asking Midtrans)."""
    from .services.sales import sales_expire_unpaid

    return sales_expire_unpaid()
