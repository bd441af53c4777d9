"""UMKM vendors, products and their curation, consignment stock per café and its ledger, reservations."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .barcodes import ean13_validator

nib_validator = RegexValidator(r"^\d{13}$", _("An NIB has exactly 13 digits."), code="invalid_nib")
internal_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,8}$", _("An internal code has 3-8 capital letters or digits."), code="invalid_internal_code"
)


class Category(TimeStampedModel):
    """A product category; it tells the curator which permits the products need."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    requires_food_permit = models.BooleanField(
        _("needs a food permit"), default=True, help_text=_("Processed food and drink need PIRT or BPOM MD.")
    )
    requires_bpom = models.BooleanField(
        _("needs BPOM MD"),
        default=False,
        help_text=_("Milk, meat, fish and poultry products: PIRT is not allowed, BPOM MD is required."),
    )
    halal_relevant = models.BooleanField(_("halal certificate relevant"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Vendor(TimeStampedModel):
    """A UMKM business that consigns its products to the cafés."""

    name = models.CharField(_("business name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        unique=True,
        validators=[nib_validator],
        help_text=_("Nomor Induk Berusaha, 13 digits."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vendors", verbose_name=_("owner")
    )
    commission_rate_bp = models.PositiveIntegerField(
        _("commission (basis points)"),
        default=1500,
        validators=[MaxValueValidator(10000)],
        help_text=_("1500 = 15% of the sale price kept by the café."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    story = models.TextField(_("story"), blank=True, help_text=_("Who makes the products, and how."))
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    desa = models.CharField(_("kelurahan/desa"), max_length=80, blank=True)
    kecamatan = models.CharField(_("kecamatan"), max_length=80)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account_number = models.CharField(
        _("bank account number"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\d{5,30}$", _("Digits only."), code="invalid_bank_account")],
    )
    bank_account_name = models.CharField(_("account holder"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("UMKM")
        verbose_name_plural = _("UMKM")
        permissions = [("manage_all_vendors", "Can manage every UMKM and its products")]
        constraints = [
            models.CheckConstraint(condition=Q(commission_rate_bp__lte=10000), name="vendor_commission_at_most_100pct"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class Product(TimeStampedModel):
    """A UMKM product; sold only when approved by the curator and its permits are valid."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="products", verbose_name=_("UMKM"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    description = models.TextField(_("description"), blank=True)
    net_weight = models.CharField(
        _("net weight"), max_length=40, blank=True, help_text=_("As on the label, e.g. 250 g.")
    )
    ingredients = models.TextField(_("ingredients"), blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProductStatus.choices, default=ProductStatus.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason of the last verdict"), blank=True)
    price_change_allowed = models.BooleanField(
        _("price changes need no review"),
        default=False,
        help_text=_("Set by the curator: the owner may change prices of this approved product without a new review."),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Kept up to date by the services on PostgreSQL: name (A) > UMKM (B) > description (C).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        permissions = [
            ("review_product", "Can review (curate) products"),
            ("suspend_product", "Can suspend approved products"),
        ]
        indexes = [
            models.Index(fields=["status", "vendor"]),
            models.Index(fields=["category", "status"]),
            # The storefront's default order: a page is read from the index instead of sorting the catalogue.
            models.Index(fields=["name", "id"], name="catalog_product_name_id_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalog:product-detail", args=[self.slug])


class ProductVariant(TimeStampedModel):
    """A sellable size or flavour of a product, with its own price and codes."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product"))
    name = models.CharField(_("variant"), max_length=80, help_text=_("Size or flavour, e.g. 250 g Pedas."))
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    barcode = models.CharField(_("barcode (EAN-13)"), max_length=13, blank=True, validators=[ean13_validator])
    internal_code = models.CharField(
        _("internal code"),
        max_length=8,
        unique=True,
        validators=[internal_code_validator],
        help_text=_("Short code for the cashier and the shelf label."),
    )
    price = models.PositiveIntegerField(_("price (Rp)"), validators=[MinValueValidator(1)])
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["product_id", "position", "pk"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(fields=["barcode"], condition=~Q(barcode=""), name="variant_barcode_unique"),
            models.CheckConstraint(condition=Q(price__gt=0), name="variant_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} — {self.name}" if self.name else self.product.name

    @property
    def display_name(self) -> str:
        return str(self)


class PermitType(models.TextChoices):
    PIRT = "pirt", _("PIRT (home industry)")
    BPOM_MD = "bpom_md", _("BPOM MD")
    HALAL = "halal", _("Halal certificate")
    OTHER = "other", _("Other")


def permit_scan_storage():
    from .storage import private_storage

    return private_storage()


class Permit(TimeStampedModel):
    """A product permit (PIRT, BPOM MD, halal …) with its number and validity."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="permits", verbose_name=_("product"))
    type = models.CharField(_("type"), max_length=10, choices=PermitType.choices)
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, help_text=_("Empty when it does not expire."))
    scan = models.FileField(_("scan"), upload_to="permits/", storage=permit_scan_storage, blank=True)

    class Meta:
        ordering = ["product_id", "type", "pk"]
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        indexes = [models.Index(fields=["expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=models.F("issued_on")),
                name="permit_expires_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number}"


class ProductImage(TimeStampedModel):
    """A product photo, cleaned at upload; its WebP thumbnails are made once, then served as files."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product"))
    image = models.CharField(max_length=255, help_text="Storage path of the cleaned full-size WebP.")
    thumbnails = models.JSONField(default=dict, help_text='Size -> storage path, e.g. {"160": "products/…-160.webp"}.')
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt = models.CharField(_("description of the photo"), max_length=160, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["product_id", "position", "pk"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self) -> str:
        return self.image

    def url(self, size: int | None = None) -> str:
        from django.core.files.storage import default_storage

        from .images import thumbnail_size_pick

        path = self.thumbnails.get(str(thumbnail_size_pick(size))) if size else self.image
        return default_storage.url(path or self.image)

    @property
    def small_url(self) -> str:
        return self.url(160)

    @property
    def medium_url(self) -> str:
        return self.url(320)

    @property
    def large_url(self) -> str:
        return self.url(640)


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    SUSPEND = "suspend", _("Suspend")


class ProductReview(TimeStampedModel):
    """A curator's verdict with the selection checklist as filled in."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    checklist = models.JSONField(default=dict, help_text='Item -> {"passed": bool, "note": str}.')
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.decision}"


class AuditAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Changed")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    AUTO_SUSPENDED = "auto_suspended", _("Suspended: permit expired")
    BACK_TO_REVIEW = "back_to_review", _("Sent back to review")
    PERMIT_ADDED = "permit_added", _("Permit added")
    PERMIT_CHANGED = "permit_changed", _("Permit changed")
    PHOTO_ADDED = "photo_added", _("Photo added")


class ProductAuditEntry(TimeStampedModel):
    """Append-only trail of every decision about a product and every change to it: who, when, what."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="audit_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    changes = models.JSONField(default=dict, blank=True, help_text="Field -> [old, new].")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.product_id} {self.action}"


class Stock(TimeStampedModel):
    """The on-hand balance of one variant at one café; always equal to the sum of its ledger."""

    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="stocks")
    variant = models.ForeignKey(ProductVariant, on_delete=models.PROTECT, related_name="stocks")
    quantity = models.IntegerField(_("on hand"), default=0)

    class Meta:
        ordering = ["outlet_id", "variant_id"]
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        permissions = [
            ("receive_stock", "Can confirm receipt of consigned stock"),
            ("adjust_stock", "Can adjust stock (damage, expiry, count)"),
            ("transfer_stock", "Can transfer stock between cafés"),
            ("deliver_stock", "Can record deliveries of own consigned stock"),
        ]
        constraints = [models.UniqueConstraint(fields=["outlet", "variant"], name="stock_unique_outlet_variant")]
        indexes = [models.Index(fields=["variant", "outlet"])]

    def __str__(self) -> str:
        return f"{self.outlet_id}/{self.variant_id}: {self.quantity}"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Delivery received")
    SALE = "sale", _("Sale")
    SALE_RETURN = "sale_return", _("Customer return")
    RETURN_TO_OWNER = "return_to_owner", _("Returned to owner")
    ADJUSTMENT = "adjustment", _("Adjustment")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")


class AdjustmentReason(models.TextChoices):
    DAMAGE = "damage", _("Damaged")
    EXPIRY = "expiry", _("Expired")
    COUNT = "count", _("Stock count (opname)")
    OTHER = "other", _("Other")


class StockMovement(TimeStampedModel):
    """One line of the stock ledger. Rows are only ever added."""

    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="stock_movements")
    variant = models.ForeignKey(ProductVariant, on_delete=models.PROTECT, related_name="movements")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="stock_movements")
    kind = models.CharField(_("kind"), max_length=16, choices=MovementKind.choices)
    quantity = models.IntegerField(_("quantity"), help_text=_("Signed: positive in, negative out."))
    balance_after = models.IntegerField(_("balance after"))
    unit_price = models.PositiveIntegerField(
        null=True, blank=True, help_text="Sale / return: price frozen at the sale."
    )
    commission_rate_bp = models.PositiveIntegerField(
        null=True, blank=True, help_text="Sale / return: commission frozen."
    )
    reference = models.CharField(_("reference"), max_length=64, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=12, choices=AdjustmentReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    oversold = models.BooleanField(_("oversold"), default=False)
    delivery = models.ForeignKey(
        "StockDelivery", null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock ledger")
        indexes = [
            models.Index(fields=["outlet", "variant", "created_at"]),
            models.Index(fields=["vendor", "kind", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="movement_quantity_not_zero"),
            # A retried sale or return with the same reference records nothing twice.
            models.UniqueConstraint(
                fields=["outlet", "variant", "kind", "reference"],
                condition=Q(kind__in=["sale", "sale_return"]),
                name="movement_sale_once_per_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d} ({self.reference})"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent, waiting for receipt")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class StockDelivery(TimeStampedModel):
    """A consignment delivery (berita acara serah terima) from a UMKM to a café."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="deliveries")
    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="stock_deliveries")
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SENT)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    receipt_note = models.TextField(_("receipt note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consignment delivery")
        verbose_name_plural = _("consignment deliveries")

    def __str__(self) -> str:
        return self.number


class TransferStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("On the way")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class StockTransfer(TimeStampedModel):
    """Units on their way from one café to another (mutasi antar outlet).

    Sending takes them out of the source café's stock at once; they count at the destination only
    when it receives them. Cancelling puts them back at the source.
    """

    number = models.CharField(_("number"), max_length=24, unique=True)
    source = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="transfers_out")
    destination = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="transfers_in")
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.IN_TRANSIT
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stock transfer")
        verbose_name_plural = _("stock transfers")
        indexes = [models.Index(fields=["destination", "status"]), models.Index(fields=["source", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(source=models.F("destination")), name="transfer_between_two_cafes")
        ]

    def __str__(self) -> str:
        return self.number


class StockTransferLine(models.Model):
    transfer = models.ForeignKey(StockTransfer, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(ProductVariant, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["pk"]


class StockDeliveryLine(models.Model):
    delivery = models.ForeignKey(StockDelivery, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(ProductVariant, on_delete=models.PROTECT, related_name="+")
    quantity_sent = models.PositiveIntegerField(_("quantity sent"), validators=[MinValueValidator(1)])
    quantity_received = models.PositiveIntegerField(_("quantity received"), null=True, blank=True)
    batch_code = models.CharField(_("batch"), max_length=40, blank=True)
    expires_on = models.DateField(_("best before"), null=True, blank=True)

    class Meta:
        ordering = ["delivery_id", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity_sent__gt=0), name="delivery_line_quantity_positive")]

    @property
    def difference(self) -> int | None:
        """Received minus sent: negative when units were missing at receipt."""
        if self.quantity_received is None:
            return None
        return self.quantity_received - self.quantity_sent


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    CONSUMED = "consumed", _("Sold")
    EXPIRED = "expired", _("Expired")


class Reservation(TimeStampedModel):
    """Units held for a cart or a kiosk pickup until they are sold, released or the hold expires."""

    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="reservations")
    visit = models.ForeignKey(
        "accounts.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="reservations"
    )
    reference = models.CharField(max_length=64, db_index=True)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ReservationStatus.choices, default=ReservationStatus.ACTIVE)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["outlet", "status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.status == ReservationStatus.ACTIVE and self.expires_at > timezone.now()


class ReservationLine(models.Model):
    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(ProductVariant, on_delete=models.PROTECT, related_name="reservation_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["reservation_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_line_quantity_positive"),
            models.UniqueConstraint(fields=["reservation", "variant"], name="reservation_line_unique_variant"),
        ]
        indexes = [models.Index(fields=["variant", "reservation"])]
