"""Django admin for the regency admin. The ledger is read-only: stock changes only through the services."""

from django.contrib import admin

from .models import (
    Category,
    Permit,
    Product,
    ProductAuditEntry,
    ProductImage,
    ProductReview,
    ProductVariant,
    Reservation,
    ReservationLine,
    Stock,
    StockDelivery,
    StockDeliveryLine,
    StockMovement,
    Vendor,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "requires_food_permit", "requires_bpom", "halal_relevant", "position")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ("name", "nib", "owner", "kecamatan", "commission_rate_bp", "is_active")
    list_filter = ("is_active", "kecamatan")
    search_fields = ("name", "nib", "owner__username")
    raw_id_fields = ("owner",)
    readonly_fields = ("slug",)


class VariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0
    readonly_fields = ("sku", "barcode", "internal_code", "price")
    can_delete = False


class PermitInline(admin.TabularInline):
    model = Permit
    extra = 0
    readonly_fields = ("type", "number", "issued_on", "expires_on")
    exclude = ("scan",)
    can_delete = False


class AuditInline(admin.TabularInline):
    model = ProductAuditEntry
    extra = 0
    readonly_fields = ("created_at", "user", "action", "changes", "note")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """Products are read here; their changes go through the owner's screens and curation (audited)."""

    list_display = ("name", "vendor", "category", "status", "approved_at")
    list_filter = ("status", "category")
    search_fields = ("name", "vendor__name", "variants__sku", "variants__barcode")
    list_select_related = ("vendor", "category")
    readonly_fields = [f.name for f in Product._meta.fields if f.name != "search_vector"]
    exclude = ("search_vector",)
    inlines = [VariantInline, PermitInline, AuditInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProductReview)
class ProductReviewAdmin(ReadOnlyAdmin):
    list_display = ("product", "decision", "reviewer", "created_at")
    list_filter = ("decision",)


@admin.register(Stock)
class StockAdmin(ReadOnlyAdmin):
    list_display = ("outlet", "variant", "quantity", "updated_at")
    list_filter = ("outlet",)
    search_fields = ("variant__sku", "variant__product__name")
    list_select_related = ("outlet", "variant", "variant__product")


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "outlet", "variant", "kind", "quantity", "balance_after", "reference", "oversold")
    list_filter = ("kind", "outlet", "oversold")
    search_fields = ("reference", "variant__sku")
    list_select_related = ("outlet", "variant", "variant__product")


class DeliveryLineInline(admin.TabularInline):
    model = StockDeliveryLine
    extra = 0
    readonly_fields = ("variant", "quantity_sent", "quantity_received", "batch_code", "expires_on")
    can_delete = False


@admin.register(StockDelivery)
class StockDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("number", "vendor", "outlet", "status", "created_at", "received_at")
    list_filter = ("status", "outlet")
    inlines = [DeliveryLineInline]


class ReservationLineInline(admin.TabularInline):
    model = ReservationLine
    extra = 0
    readonly_fields = ("variant", "quantity")


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ("reference", "outlet", "status", "expires_at")
    list_filter = ("status", "outlet")
    inlines = [ReservationLineInline]


admin.site.register(ProductImage, ReadOnlyAdmin)
