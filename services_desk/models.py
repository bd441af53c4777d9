"""Agencies and their services (standar pelayanan), counters, queue tickets, appointments,
service requests with private documents, agency API clients and webhooks, the IKM survey."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class AgencyKind(models.TextChoices):
    REGENCY_OFFICE = "regency_office", _("Regency office (dinas)")
    VERTICAL = "vertical", _("Central government office")
    BUMN = "bumn", _("State-owned enterprise (BUMN)")
    BUMD = "bumd", _("Regional enterprise (BUMD)")
    BANK = "bank", _("Bank")
    OTHER = "other", _("Other")


class Agency(TimeStampedModel):
    """An institution whose services are offered at the cafés: a dinas, PLN, PDAM, a bank, BPJS …"""

    name = models.CharField(_("name"), max_length=160)
    short_name = models.CharField(_("short name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    website = models.URLField(_("website"), blank=True)
    complaint_channel = models.CharField(_("complaint channel"), max_length=300, blank=True)
    webhook_url = models.URLField(_("webhook URL"), blank=True, help_text=_("Receives signed request status changes."))
    webhook_secret = models.CharField(_("webhook secret"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        permissions = [("manage_api_clients", "Can give an agency API clients")]

    def __str__(self) -> str:
        return self.short_name


class AgencyStaff(TimeStampedModel):
    """A user who works for an agency: an officer at a counter, or the agency's API client."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships")
    is_api_client = models.BooleanField(default=False)

    class Meta:
        ordering = ["agency", "user"]
        constraints = [models.UniqueConstraint(fields=["agency", "user"], name="agency_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"


class ServiceAvailability(models.TextChoices):
    CAFE = "cafe", _("At the cafés")
    ONLINE = "online", _("Online at the agency's portal")
    BOTH = "both", _("At the cafés and online")


prefix_validator = RegexValidator(r"^[A-Z]{1,2}$", _("One or two capital letters, e.g. A."), code="invalid_prefix")


class Service(TimeStampedModel):
    """One public service with its standar pelayanan delivery components."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("agency"))
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    prefix = models.CharField(_("ticket prefix"), max_length=2, validators=[prefix_validator])
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    keywords = models.CharField(
        _("search words"), max_length=300, blank=True, help_text=_("Words citizens use, e.g. ktp hilang.")
    )
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    procedure = models.JSONField(_("procedure"), default=list, blank=True)
    duration_text = models.CharField(_("duration promised"), max_length=120, blank=True)
    sla_hours = models.PositiveIntegerField(_("SLA (hours)"), default=72, help_text=_("For the countdown on requests."))
    cost = models.PositiveIntegerField(_("cost (rupiah)"), default=0)
    cost_note = models.CharField(_("cost note"), max_length=200, blank=True)
    is_adminduk = models.BooleanField(
        _("population administration (adminduk)"),
        default=False,
        help_text=_("Free by law (UU 24/2013): cost locked at Rp0."),
    )
    product = models.CharField(_("product of the service"), max_length=200, blank=True)
    complaint_channel = models.CharField(_("complaint channel"), max_length=300, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    availability = models.CharField(
        _("where offered"), max_length=10, choices=ServiceAvailability.choices, default=ServiceAvailability.CAFE
    )
    online_url = models.URLField(_("online service link"), blank=True)
    outlets = models.ManyToManyField("accounts.Outlet", blank=True, related_name="services", verbose_name=_("cafés"))
    requires_appointment = models.BooleanField(_("needs an appointment"), default=False)
    accepts_requests = models.BooleanField(_("accepts requests with documents"), default=False)
    average_service_minutes = models.PositiveIntegerField(_("average service time (minutes)"), default=10)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency__short_name", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_adminduk=False) | Q(cost=0),
                name="service_adminduk_cost_zero",
                violation_error_message=_("Population administration services are free: the cost must be Rp0."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def offered_at_cafes(self) -> bool:
        return self.availability in (ServiceAvailability.CAFE, ServiceAvailability.BOTH)


class Counter(TimeStampedModel):
    """A desk (loket) at a café where officers serve the tickets of some services."""

    outlet = models.ForeignKey(
        "accounts.Outlet", on_delete=models.PROTECT, related_name="counters", verbose_name=_("café")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=60)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="counters", verbose_name=_("agency")
    )
    services = models.ManyToManyField(Service, related_name="counters", verbose_name=_("services"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["outlet", "number"]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        constraints = [models.UniqueConstraint(fields=["outlet", "number"], name="counter_number_unique_per_outlet")]

    def __str__(self) -> str:
        return self.name


class Kiosk(TimeStampedModel):
    """A self-service kiosk (anjungan mandiri) of a café and its ticket printer."""

    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="kiosks")
    name = models.CharField(_("name"), max_length=60)
    printer_url = models.CharField(_("printer"), max_length=200, blank=True, help_text=_("Empty: the default printer."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["outlet", "name"]
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")

    def __str__(self) -> str:
        return self.name


class TicketSeries(TimeStampedModel):
    """The last number given for one prefix at one café on one day: the lock that keeps numbers gap-free."""

    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.CASCADE, related_name="+")
    business_date = models.DateField()
    prefix = models.CharField(max_length=2)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-business_date", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["outlet", "business_date", "prefix"], name="ticket_series_unique")
        ]


class TicketStatus(models.TextChoices):
    ISSUED = "issued", _("Waiting to be called")
    CALLED = "called", _("Being called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")
    TRANSFERRED = "transferred", _("Transferred")


class PriorityClass(models.TextChoices):
    REGULAR = "regular", _("Regular")
    ELDERLY = "elderly", _("Elderly")
    DISABLED = "disabled", _("Person with a disability")
    PREGNANT = "pregnant", _("Pregnant woman")


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    DESK = "desk", _("Service desk")
    APPOINTMENT = "appointment", _("Appointment")
    TRANSFER = "transfer", _("Transfer")


class QueueTicket(TimeStampedModel):
    """A place in the queue of one service at one café on one day (printed as A-017)."""

    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="queue_tickets")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tickets")
    business_date = models.DateField()
    prefix = models.CharField(max_length=2)
    number = models.PositiveIntegerField()
    visit = models.ForeignKey("accounts.Visit", on_delete=models.PROTECT, related_name="queue_tickets")
    status = models.CharField(max_length=12, choices=TicketStatus.choices, default=TicketStatus.ISSUED)
    priority = models.CharField(max_length=10, choices=PriorityClass.choices, default=PriorityClass.REGULAR)
    source = models.CharField(max_length=12, choices=TicketSource.choices, default=TicketSource.KIOSK)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, for the 'your turn is near' message only")
    arrived_at = models.DateTimeField(help_text="When the person joined the queue; kept across transfers")
    due_at = models.DateTimeField(null=True, blank=True, help_text="Appointment time, for appointment tickets")
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets")
    target_counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    call_count = models.PositiveSmallIntegerField(default=0)
    called_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    transferred_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_to"
    )
    near_notified_at = models.DateTimeField(null=True, blank=True)
    kiosk = models.ForeignKey(Kiosk, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["business_date", "arrived_at", "pk"]
        permissions = [
            ("use_kiosk", "Can run a self-service kiosk"),
            ("serve_queue", "Can call and serve queue tickets at a counter"),
            ("view_queue_reports", "Can view queue and satisfaction reports"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "business_date", "prefix", "number"],
                condition=Q(transferred_from__isnull=True),
                name="ticket_number_unique_per_series",
            ),
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(status__in=["called", "serving"]),
                name="one_active_ticket_per_counter",
            ),
        ]
        indexes = [models.Index(fields=["outlet", "business_date", "status"])]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"{self.prefix}-{self.number:03d}"


class AppointmentSlot(TimeStampedModel):
    """A bookable time window for one service at one café, with a capacity."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="slots")
    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.CASCADE, related_name="appointment_slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=1)
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"),
            models.UniqueConstraint(fields=["service", "outlet", "starts_at"], name="slot_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")


class Appointment(TimeStampedModel):
    """A booked slot (Terdaftar Online); joins the queue at check-in."""

    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments")
    code = models.CharField(max_length=8, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    ticket = models.OneToOneField(
        QueueTicket, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment"
    )

    class Meta:
        ordering = ["slot__starts_at"]

    def __str__(self) -> str:
        return self.code


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    IN_PROCESS = "in_process", _("In process")
    READY = "ready", _("Ready")
    COLLECTED = "collected", _("Collected")
    REJECTED = "rejected", _("Rejected")


class ServiceRequest(TimeStampedModel):
    """A citizen's request for a service, worked by the agency, with its documents and timeline."""

    reference = models.CharField(max_length=20, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="requests")
    outlet = models.ForeignKey("accounts.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(
        "accounts.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="service_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_requests"
    )
    applicant_name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    due_at = models.DateTimeField()
    rejection_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "pk"]
        permissions = [("work_servicerequest", "Can work the requests assigned to their agency")]
        indexes = [models.Index(fields=["agency", "status", "due_at"])]

    def __str__(self) -> str:
        return self.reference


class RequestEvent(TimeStampedModel):
    """One step of a request's timeline."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=RequestStatus.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]


class RequestDocument(TimeStampedModel):
    """An uploaded document, stored under PRIVATE_MEDIA_ROOT and served only through a logged view."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="documents")
    label = models.CharField(max_length=120)
    path = models.CharField(max_length=200, help_text="Relative to PRIVATE_MEDIA_ROOT")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]


class WebhookStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(TimeStampedModel):
    """One event to send to an agency's webhook URL, tried until delivered, refused (4xx) or out of attempts."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="webhook_deliveries")
    event = models.CharField(max_length=60)
    url = models.URLField()
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=WebhookStatus.choices, default=WebhookStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class WebhookAttempt(TimeStampedModel):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]


class HelpAlert(TimeStampedModel):
    """A citizen at a kiosk asked for help; staff of the café see it until someone answers."""

    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.CASCADE, related_name="help_alerts")
    kiosk_name = models.CharField(max_length=60, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


def _score(n: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(f"U{n}", validators=SCORE_VALIDATORS)


class SurveyResponse(TimeStampedModel):
    """One answer to the satisfaction survey (SKM, Permenpan RB 14/2017): nine items scored 1–4."""

    ticket = models.OneToOneField(QueueTicket, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="survey_responses")
    outlet = models.ForeignKey("accounts.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    business_date = models.DateField()
    u1 = _score(1)
    u2 = _score(2)
    u3 = _score(3)
    u4 = _score(4)
    u5 = _score(5)
    u6 = _score(6)
    u7 = _score(7)
    u8 = _score(8)
    u9 = _score(9)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"u{i}__gte": 1 for i in range(1, 10)}) & Q(**{f"u{i}__lte": 4 for i in range(1, 10)}),
                name="survey_scores_1_to_4",
            )
        ]
