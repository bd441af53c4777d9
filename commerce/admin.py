from django.contrib import admin

from .models import Checkout, CheckoutLine, DeliveryFee, Order, OrderEvent, OrderLine


@admin.register(DeliveryFee)
class DeliveryFeeAdmin(admin.ModelAdmin):
    list_display = ("kecamatan", "fee", "is_active", "updated_at")
    list_editable = ("fee", "is_active")
    search_fields = ("kecamatan",)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ("variant", "vendor", "product_name", "variant_name", "sku", "quantity", "unit_price",
                       "commission_rate_bp", "line_total")


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "type", "from_status", "to_status", "user", "message", "amount")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only: orders change only through their services (staff screens and the payment handler)."""

    list_display = ("number", "status", "delivery_method", "outlet", "total", "flagged", "created_at")
    list_filter = ("status", "delivery_method", "flagged", "outlet")
    search_fields = ("number", "name", "phone")
    inlines = [OrderLineInline, OrderEventInline]
    exclude = ("token", "pickup_code")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("token", "pickup_code")]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CheckoutLineInline(admin.TabularInline):
    model = CheckoutLine
    extra = 0
    raw_id_fields = ("variant",)


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin):
    list_display = ("token", "user", "status", "delivery_method", "updated_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "visit", "reservation")
    inlines = [CheckoutLineInline]
