"""Agencies, their services (standar pelayanan), counters, kiosks and agency staff."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Outlet, User
from core.exceptions import domain_error_from_validation

from ..exceptions import AdmindukCostLocked
from ..models import Agency, AgencyStaff, Counter, Kiosk, Service

SERVICE_FIELDS = (
    "name",
    "prefix",
    "summary",
    "keywords",
    "requirements",
    "procedure",
    "duration_text",
    "sla_hours",
    "cost",
    "cost_note",
    "is_adminduk",
    "product",
    "complaint_channel",
    "legal_basis",
    "availability",
    "online_url",
    "requires_appointment",
    "accepts_requests",
    "average_service_minutes",
    "is_active",
)


def _full_clean(obj, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise domain_error_from_validation(exc) from None


@transaction.atomic
def agency_upsert(
    *,
    slug: str,
    name: str,
    short_name: str,
    kind: str,
    website: str = "",
    complaint_channel: str = "",
    webhook_url: str = "",
    webhook_secret: str = "",
    is_active: bool = True,
) -> Agency:
    """Create or update an agency by its slug."""
    agency = Agency.objects.select_for_update().filter(slug=slug).first() or Agency(slug=slug)
    agency.name, agency.short_name, agency.kind, agency.website = name, short_name, kind, website
    agency.complaint_channel, agency.webhook_url, agency.webhook_secret, agency.is_active = (
        complaint_channel,
        webhook_url,
        webhook_secret,
        is_active,
    )
    _full_clean(agency)
    agency.save()
    return agency


def _check_adminduk_cost(*, is_adminduk: bool, cost: int) -> None:
    if is_adminduk and cost != 0:
        raise AdmindukCostLocked(
            _("Population administration (adminduk) services are free by law (UU 24/2013): the cost stays Rp0.")
        )


@transaction.atomic
def service_upsert(*, agency: Agency, slug: str, outlets: list[Outlet] | None = None, **fields) -> Service:
    """Create or update a service by its slug; adminduk services keep cost Rp0 whatever is asked."""
    unknown = set(fields) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown service fields: {sorted(unknown)}")
    service = Service.objects.select_for_update().filter(slug=slug).first() or Service(slug=slug)
    service.agency = agency
    for name, value in fields.items():
        setattr(service, name, value)
    if isinstance(service.cost, bool) or not isinstance(service.cost, int):
        raise domain_error_from_validation(ValidationError({"cost": _("The cost is a whole number of rupiah.")}))
    _check_adminduk_cost(is_adminduk=service.is_adminduk, cost=service.cost)
    service.prefix = (service.prefix or "").upper()
    _full_clean(service)
    service.save()
    if outlets is not None:
        service.outlets.set(outlets)
    return service


@transaction.atomic
def service_set_cost(*, service: Service, cost: int, cost_note: str | None = None) -> Service:
    """Change the cost of a service; refused for adminduk services unless it is Rp0."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    if isinstance(cost, bool) or not isinstance(cost, int) or cost < 0:
        raise domain_error_from_validation(ValidationError({"cost": _("The cost is a whole number of rupiah.")}))
    _check_adminduk_cost(is_adminduk=service.is_adminduk, cost=cost)
    service.cost = cost
    if cost_note is not None:
        service.cost_note = cost_note
    _full_clean(service)
    service.save(update_fields=["cost", "cost_note", "updated_at"])
    return service


@transaction.atomic
def counter_upsert(
    *,
    outlet: Outlet,
    number: int,
    name: str = "",
    agency: Agency | None = None,
    services: list[Service] | None = None,
    is_active: bool = True,
) -> Counter:
    """Create or update a counter (loket) of a café by its number."""
    counter = Counter.objects.select_for_update().filter(outlet=outlet, number=number).first() or Counter(
        outlet=outlet, number=number
    )
    counter.name = name or _("Counter %(number)s") % {"number": number}
    counter.agency, counter.is_active = agency, is_active
    _full_clean(counter, validate_constraints=False)
    counter.save()
    if services is not None:
        counter.services.set(services)
    return counter


@transaction.atomic
def kiosk_upsert(*, outlet: Outlet, name: str, printer_url: str = "") -> Kiosk:
    """Create or update a kiosk of a café by its name."""
    from core.printing import PrinterUrlError, printer_url_validate

    if printer_url:
        try:
            printer_url_validate(printer_url)
        except PrinterUrlError as exc:
            raise domain_error_from_validation(ValidationError({"printer_url": str(exc)})) from None
    kiosk = Kiosk.objects.filter(outlet=outlet, name=name).first() or Kiosk(outlet=outlet, name=name)
    kiosk.printer_url = printer_url
    kiosk.save()
    return kiosk


@transaction.atomic
def agency_staff_add(*, agency: Agency, user: User, is_api_client: bool = False) -> AgencyStaff:
    """Make the user a member of the agency (an officer or its API client). Idempotent."""
    staff, _created = AgencyStaff.objects.get_or_create(
        agency=agency, user=user, defaults={"is_api_client": is_api_client}
    )
    return staff
