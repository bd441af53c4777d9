"""The shared visit: opened by a kiosk ticket, a cashier or an online session."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..error_codes import AccountErrorCode
from ..exceptions import OutletInactive, VisitClosed
from ..models import Customer, Outlet, User, Visit, VisitChannel, VisitStatus
from ..visit_codes import visit_code_generate

_CODE_ATTEMPTS = 20


def business_date_today() -> datetime.date:
    return timezone.localdate()


def visit_open(
    *,
    outlet: Outlet | None,
    channel: str,
    customer: Customer | None = None,
    user: User | None = None,
    opened_by: User | None = None,
) -> Visit:
    """Open a visit with a fresh short code, unique for the outlet and day even under concurrency."""
    if channel not in VisitChannel.values:
        raise DomainError(_("Unknown visit channel."), code=AccountErrorCode.INVALID, field="channel")
    if outlet is not None and not outlet.is_active:
        raise OutletInactive(_("This café is not active."))
    if outlet is None and channel != VisitChannel.ONLINE:
        raise DomainError(_("A visit at a café needs the café."), code=AccountErrorCode.INVALID, field="outlet")
    today = business_date_today()
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Visit.objects.create(
                    outlet=outlet,
                    business_date=today,
                    code=visit_code_generate(),
                    channel=channel,
                    customer=customer,
                    user=user,
                    opened_by=opened_by,
                )
        except IntegrityError:
            continue  # code collision: draw again
    raise RuntimeError("Could not draw a free visit code")


def visit_get_or_open_online(*, user: User) -> Visit:
    """Return today's open online visit of this user, opening one if needed."""
    visit = (
        Visit.objects.filter(
            outlet__isnull=True, user=user, business_date=business_date_today(), status=VisitStatus.OPEN
        )
        .order_by("-created_at")
        .first()
    )
    if visit:
        return visit
    customer = getattr(user, "customer", None)
    return visit_open(outlet=None, channel=VisitChannel.ONLINE, user=user, customer=customer)


@transaction.atomic
def visit_attach_customer(*, visit: Visit, customer: Customer) -> Visit:
    """Link the person to the visit; a visit belongs to one customer only."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status == VisitStatus.CLOSED:
        raise VisitClosed(_("This visit is already closed."))
    if visit.customer_id and visit.customer_id != customer.pk:
        raise DomainError(
            _("This visit already belongs to another customer."), code=AccountErrorCode.DUPLICATE, field="customer"
        )
    visit.customer = customer
    if customer.user_id and not visit.user_id:
        visit.user_id = customer.user_id
    visit.save(update_fields=["customer", "user", "updated_at"])
    return visit


@transaction.atomic
def visit_close(*, visit: Visit) -> Visit:
    """Close the visit. Closing twice is harmless."""
    updated = Visit.objects.filter(pk=visit.pk, status=VisitStatus.OPEN).update(
        status=VisitStatus.CLOSED, closed_at=timezone.now(), updated_at=timezone.now()
    )
    visit.refresh_from_db()
    if not updated and visit.status != VisitStatus.CLOSED:
        raise VisitClosed(_("This visit cannot be closed."))
    return visit


def visits_close_stale(*, before: datetime.date | None = None) -> int:
    """Close every visit still open from an earlier business day. Return how many."""
    before = before or business_date_today()
    return Visit.objects.filter(status=VisitStatus.OPEN, business_date__lt=before).update(
        status=VisitStatus.CLOSED, closed_at=timezone.now(), updated_at=timezone.now()
    )


def visit_mark_purchase(*, visit_id: int) -> None:
    """Record that the visit bought something (POS sale or paid order); the first time counts."""
    Visit.objects.filter(pk=visit_id, first_purchase_at__isnull=True).update(
        first_purchase_at=timezone.now(), updated_at=timezone.now()
    )
