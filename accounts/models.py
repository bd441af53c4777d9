"""Users, cafés (outlets), customers with protected personal data, API tokens and the shared visit."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

region_code_validator = RegexValidator(
    r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
    _("Enter an official region code such as 35.03 or 35.03.01.2001."),
    code="invalid_region_code",
)
postcode_validator = RegexValidator(r"^\d{5}$", _("A postcode has 5 digits."), code="invalid_postcode")


class User(AbstractUser):
    """A person who logs in: staff of any role, UMKM owners and customers."""

    phone = models.CharField(
        _("phone"), max_length=20, unique=True, null=True, blank=True, help_text=_("E.164, e.g. +6281234567890")
    )
    restricted_to_outlets = models.BooleanField(
        _("restricted to outlets"),
        default=False,
        help_text=_("When set, the staff member may act only at the outlets listed."),
    )
    outlets = models.ManyToManyField("accounts.Outlet", blank=True, related_name="staff", verbose_name=_("outlets"))

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        permissions = [
            ("manage_staff", "Can manage staff and their roles"),
            ("view_reports", "Can view reports"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class OutletLevel(models.TextChoices):
    REGENCY = "regency", _("Regency")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa")


class Outlet(TimeStampedModel):
    """A café of the network: the regency gallery, one per kecamatan, then villages."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    code = models.CharField(
        _("short code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{2,8}$", _("2-8 capital letters or digits."))],
        help_text=_("Printed on receipts and tickets, e.g. GLR."),
    )
    level = models.CharField(_("level"), max_length=12, choices=OutletLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    region_code = models.CharField(_("region code"), max_length=13, blank=True, validators=[region_code_validator])
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    rt_rw = models.CharField(_("RT/RW"), max_length=20, blank=True)
    desa = models.CharField(_("kelurahan/desa"), max_length=80, blank=True)
    kecamatan = models.CharField(_("kecamatan"), max_length=80)
    kabupaten = models.CharField(_("kabupaten/kota"), max_length=80, default="Trenggalek")
    provinsi = models.CharField(_("provinsi"), max_length=80, default="Jawa Timur")
    postcode = models.CharField(_("postcode"), max_length=5, blank=True, validators=[postcode_validator])
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opening_hours = models.JSONField(
        _("opening hours"),
        default=dict,
        blank=True,
        help_text=_('Per weekday (mon..sun) a range such as "08.00-16.00"; a missing day is closed.'),
    )
    is_active = models.BooleanField(_("active"), default=True)
    offers_sales = models.BooleanField(_("sells UMKM products"), default=True)
    offers_services = models.BooleanField(_("offers public services"), default=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        parts = [
            self.street_address,
            f"RT/RW {self.rt_rw}" if self.rt_rw else "",
            self.desa,
            f"Kec. {self.kecamatan}",
            f"Kab. {self.kabupaten}",
            self.provinsi,
            self.postcode,
        ]
        return ", ".join(p for p in parts if p)


class Customer(TimeStampedModel):
    """A citizen or shopper. Phone is the key people remember; NIK is optional and protected."""

    name = models.CharField(_("name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, unique=True, help_text=_("E.164"))
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="customer")
    nik_encrypted = models.TextField(blank=True, editable=False)
    nik_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    nik_masked = models.CharField(_("NIK"), max_length=16, blank=True, editable=False)
    consent_service_at = models.DateTimeField(_("consent to service use"), null=True, blank=True)
    consent_marketing = models.BooleanField(_("consents to marketing"), default=False)
    consent_marketing_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        permissions = [("reveal_nik", "Can reveal a customer's full NIK (logged)")]

    def __str__(self) -> str:
        return self.name or self.phone


class ConsentKind(models.TextChoices):
    SERVICE = "service", _("Service use")
    MARKETING = "marketing", _("Marketing")


class ConsentRecord(TimeStampedModel):
    """An append-only record of each consent given or withdrawn."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=12, choices=ConsentKind.choices)
    granted = models.BooleanField()
    source = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]


class PersonalDataAccess(TimeStampedModel):
    """A log line for every reveal of protected personal data (NIK, identity scans)."""

    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=80)  # e.g. "customer:12:nik", "document:5"
    action = models.CharField(max_length=20)  # reveal | download | denied
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class ApiToken(TimeStampedModel):
    """A bearer token from `tokenCreate`. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=12)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class VisitChannel(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    POS = "pos", _("Cashier")
    DESK = "desk", _("Service desk")
    ONLINE = "online", _("Online")


class VisitStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Visit(TimeStampedModel):
    """One person's presence at one café (or online) on one day: the key shared by tickets, carts and sales."""

    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    business_date = models.DateField(_("date"))
    code = models.CharField(_("visit code"), max_length=8)
    channel = models.CharField(_("opened at"), max_length=10, choices=VisitChannel.choices)
    status = models.CharField(max_length=10, choices=VisitStatus.choices, default=VisitStatus.OPEN)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits")
    opened_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    first_purchase_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the visit first bought something: the conversion metric.")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        permissions = [("open_visit", "Can open a visit for a walk-in")]
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "business_date", "code"], name="visit_code_unique_per_outlet_day"
            ),
            models.UniqueConstraint(
                fields=["business_date", "code"], condition=Q(outlet__isnull=True), name="visit_code_unique_online_day"
            ),
        ]
        indexes = [models.Index(fields=["code", "business_date"])]

    def __str__(self) -> str:
        return self.code

    @property
    def qr_payload(self) -> str:
        """The text in the QR printed on tickets: scanned by the cashier to find this visit."""
        return f"GMV1:{self.outlet_id or 0}:{self.business_date:%Y%m%d}:{self.code}"
