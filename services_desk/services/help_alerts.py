"""'Ask for help' from a kiosk: the café's staff see the alert until one of them answers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Outlet, User

from ..models import HelpAlert


@transaction.atomic
def help_alert_raise(*, outlet: Outlet, kiosk_name: str = "") -> HelpAlert:
    """Raise an alert, or return the kiosk's alert that is still open (pressing twice is one alert)."""
    open_alert = HelpAlert.objects.filter(
        outlet=outlet, kiosk_name=kiosk_name[:60], acknowledged_at__isnull=True
    ).first()
    return open_alert or HelpAlert.objects.create(outlet=outlet, kiosk_name=kiosk_name[:60])


@transaction.atomic
def help_alert_acknowledge(*, alert: HelpAlert, user: User) -> HelpAlert:
    """Mark the alert answered by this staff member; the first answer counts."""
    HelpAlert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=user, acknowledged_at=timezone.now(), updated_at=timezone.now()
    )
    alert.refresh_from_db()
    return alert
