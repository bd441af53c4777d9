from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    Agency,
    AgencyStaff,
    Appointment,
    AppointmentSlot,
    Counter,
    HelpAlert,
    Kiosk,
    QueueTicket,
    RequestEvent,
    Service,
    ServiceRequest,
    SurveyResponse,
    WebhookAttempt,
    WebhookDelivery,
)


class AgencyStaffInline(admin.TabularInline):
    model = AgencyStaff
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = [AgencyStaffInline]
    actions = ["create_api_client"]

    @admin.action(
        description=gettext_lazy("Create an API client (token shown once)"), permissions=["manage_api_clients"]
    )
    def create_api_client(self, request, queryset):
        from .services.api_clients import agency_api_client_create

        for agency in queryset:
            staff, token = agency_api_client_create(agency=agency)
            self.message_user(
                request,
                _("API client %(user)s for %(agency)s. Token (shown only now): %(token)s")
                % {"user": staff.user.username, "agency": agency.short_name, "token": token},
                messages.WARNING,
            )

    def has_manage_api_clients_permission(self, request):
        return request.user.has_perm("services_desk.manage_api_clients")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    """Edits run full_clean, which checks the adminduk Rp0 constraint before the database does."""

    list_display = (
        "name",
        "agency",
        "prefix",
        "cost",
        "is_adminduk",
        "availability",
        "requires_appointment",
        "is_active",
    )
    list_filter = ("agency", "availability", "is_adminduk", "requires_appointment", "is_active")
    search_fields = ("name", "keywords")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("outlets",)


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ("name", "outlet", "number", "agency", "is_active")
    list_filter = ("outlet", "agency")
    filter_horizontal = ("services",)


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    list_display = ("name", "outlet", "printer_url", "is_active")


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ("service", "outlet", "starts_at", "capacity", "booked")
    list_filter = ("outlet", "service")
    readonly_fields = ("booked",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QueueTicket)
class QueueTicketAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "outlet", "service", "business_date", "status", "priority", "counter")
    list_filter = ("outlet", "status", "business_date")
    exclude = ("phone",)


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("code", "slot", "status")
    exclude = ("phone", "name")


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "note", "by", "created_at")


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    """Documents are not reachable from here: only through the logged download view."""

    list_display = ("reference", "service", "agency", "status", "due_at")
    list_filter = ("agency", "status")
    search_fields = ("reference",)
    exclude = ("phone", "applicant_name", "details")
    inlines = [RequestEventInline]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "status_code", "error", "duration_ms")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("pk", "agency", "event", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "agency")
    inlines = [WebhookAttemptInline]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ("service", "outlet", "business_date", "created_at")


@admin.register(HelpAlert)
class HelpAlertAdmin(ReadOnlyAdmin):
    list_display = ("outlet", "kiosk_name", "created_at", "acknowledged_by")
