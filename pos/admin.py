from django.contrib import admin

from .models import CashMovement, Refund, Sale, SaleLine, Shift, ShiftReport, Terminal


@admin.register(Terminal)
class TerminalAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "outlet", "printer_url", "paper_width", "allow_negative_stock", "is_active")
    list_filter = ("outlet", "is_active")
    readonly_fields = ("last_receipt_number",)


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = (
        "terminal",
        "cashier",
        "status",
        "opened_at",
        "closed_at",
        "expected_cash",
        "counted_cash",
        "difference",
    )
    list_filter = ("status", "terminal__outlet")
    # Cash control figures change only through the register's services.
    readonly_fields = [f.name for f in Shift._meta.fields]


class SaleLineInline(admin.TabularInline):
    model = SaleLine
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in SaleLine._meta.fields]


@admin.register(Sale)
class SaleAdmin(admin.ModelAdmin):
    list_display = ("number", "outlet", "status", "total", "sold_at", "offline", "late_sync", "oversold")
    list_filter = ("status", "offline", "late_sync", "oversold", "outlet")
    search_fields = ("number", "client_id")
    readonly_fields = [f.name for f in Sale._meta.fields if f.name != "receipt_token"]
    exclude = ("receipt_token",)
    inlines = [SaleLineInline]


admin.site.register(CashMovement)
admin.site.register(Refund)
admin.site.register(ShiftReport)
