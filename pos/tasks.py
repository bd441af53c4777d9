from celery import shared_task


@shared_task(ignore_result=True)
def sales_expire_unpaid_task() -> int:
    """Cancel QRIS sales whose code was not paid in time (after asking Midtrans)."""
    from .services.sales import sales_expire_unpaid

    return sales_expire_unpaid()


@shared_task(ignore_result=True)
def sale_receipt_print_task(sale_id: int) -> None:
    """Render a completed sale's receipt and queue it for the terminal's printer."""
    from django.db import transaction

    from .receipts import sale_receipt_print
    from .selectors import sale_with_details

    with transaction.atomic():
        sale_receipt_print(sale=sale_with_details(sale_id=sale_id))
