"""The abstract base every Gemilang model derives from."""

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PrintJobStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PRINTED = "printed", "Printed"
    FAILED = "failed", "Failed"


class PrintJob(TimeStampedModel):
    """A rendered ESC/POS document waiting for, or sent to, a printer."""

    printer_url = models.CharField(max_length=200)
    document = models.CharField(max_length=80, db_index=True, help_text="What was printed, e.g. receipt:GLR-0001")
    data = models.BinaryField()
    status = models.CharField(max_length=10, choices=PrintJobStatus.choices, default=PrintJobStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.document} ({self.status})"
