from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, ConsentRecord, Customer, Outlet, PersonalDataAccess, User, Visit


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Gemilang", {"fields": ("phone", "restricted_to_outlets", "outlets")}),)
    list_display = ("username", "first_name", "last_name", "phone", "is_staff", "is_active")
    filter_horizontal = ("groups", "user_permissions", "outlets")


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "kecamatan", "is_active", "offers_sales", "offers_services")
    list_filter = ("level", "is_active", "offers_sales", "offers_services")
    search_fields = ("name", "code", "kecamatan", "desa")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "phone", "nik_masked", "consent_marketing", "created_at")
    search_fields = ("name", "phone")
    readonly_fields = ("nik_masked",)
    exclude = ("nik_encrypted", "nik_hash")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("code", "outlet", "business_date", "channel", "status", "customer")
    list_filter = ("channel", "status", "outlet")
    search_fields = ("code",)
    raw_id_fields = ("customer", "user", "opened_by")


admin.site.register(ConsentRecord)
admin.site.register(PersonalDataAccess)
admin.site.register(
    ApiToken, list_display=("key_prefix", "user", "name", "expires_at", "revoked_at"), exclude=("key_hash",)
)
