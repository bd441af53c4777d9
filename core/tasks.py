from celery import shared_task


@shared_task(ignore_result=True)
def print_job_deliver_task(job_id: int) -> None:
    from .models import PrintJob
    from .printing import print_job_deliver

    job = PrintJob.objects.filter(pk=job_id).first()
    if job is not None:
        print_job_deliver(job=job)
