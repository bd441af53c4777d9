from django.contrib import admin

from .models import Payment, PaymentNotification, PaymentRefund, PaymentStatusChange, SimulatedTransaction


class PaymentStatusChangeInline(admin.TabularInline):
    model = PaymentStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "from_status", "to_status", "source", "note", "notification")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class PaymentRefundInline(admin.TabularInline):
    model = PaymentRefund
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "amount", "reason", "refund_key", "status", "requested_by", "error")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """The ledger is written by Midtrans and the services only: staff read it and resolve flags."""

    list_display = (
        "midtrans_order_id",
        "purpose",
        "reference",
        "method",
        "gross_amount",
        "status",
        "flagged",
        "flag_reason",
        "created_at",
    )
    list_filter = ("status", "flagged", "flag_reason", "method", "purpose")
    search_fields = ("midtrans_order_id", "reference", "transaction_id")
    date_hierarchy = "created_at"
    inlines = [PaymentStatusChangeInline, PaymentRefundInline]
    readonly_fields = [f.name for f in Payment._meta.fields if f.name not in ("flag_resolution_note",)]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(admin.ModelAdmin):
    list_display = ("order_id", "transaction_status", "fraud_status", "gross_amount", "outcome", "created_at")
    list_filter = ("outcome", "transaction_status")
    search_fields = ("order_id",)
    readonly_fields = (
        "payment",
        "order_id",
        "transaction_status",
        "fraud_status",
        "status_code",
        "gross_amount",
        "body",
        "outcome",
        "created_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SimulatedTransaction)
class SimulatedTransactionAdmin(admin.ModelAdmin):
    list_display = ("order_id", "payment_type", "gross_amount", "transaction_status", "notified_at", "notify_attempts")
    search_fields = ("order_id",)
