"""Customers: creation by phone, NIK storage, consent."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.pii import pii_decrypt, pii_encrypt

from ..error_codes import AccountErrorCode
from ..models import ConsentKind, ConsentRecord, Customer, PersonalDataAccess, User
from ..nik import nik_hash, nik_mask, nik_validate
from ..phone_numbers import phone_normalize


@transaction.atomic
def customer_get_or_create(
    *,
    phone: str,
    name: str = "",
    email: str = "",
    user: User | None = None,
    consent_service: bool = True,
    source: str = "",
) -> Customer:
    """Return the customer with this phone, creating one if none exists (safe under concurrency)."""
    e164 = phone_normalize(phone)
    customer = Customer.objects.filter(phone=e164).first()
    if customer is None:
        try:
            with transaction.atomic():
                customer = Customer.objects.create(
                    phone=e164,
                    name=name.strip(),
                    email=email.strip(),
                    user=user,
                    consent_service_at=timezone.now() if consent_service else None,
                )
        except IntegrityError:
            customer = Customer.objects.get(phone=e164)
        else:
            if consent_service:
                ConsentRecord.objects.create(customer=customer, kind=ConsentKind.SERVICE, granted=True, source=source)
            return customer
    changed = []
    if name and not customer.name:
        customer.name = name.strip()
        changed.append("name")
    if email and not customer.email:
        customer.email = email.strip()
        changed.append("email")
    if user and not customer.user_id:
        customer.user = user
        changed.append("user")
    if changed:
        customer.save(update_fields=[*changed, "updated_at"])
    return customer


@transaction.atomic
def customer_set_nik(*, customer: Customer, nik: str) -> Customer:
    """Validate and store a NIK encrypted, with its keyed hash and masked form."""
    info = nik_validate(nik)
    digest = nik_hash(info.number)
    if Customer.objects.filter(nik_hash=digest).exclude(pk=customer.pk).exists():
        raise DomainError(_("This NIK belongs to another customer."), code=AccountErrorCode.DUPLICATE, field="nik")
    customer.nik_encrypted = pii_encrypt(info.number)
    customer.nik_hash = digest
    customer.nik_masked = nik_mask(info.number)
    customer.save(update_fields=["nik_encrypted", "nik_hash", "nik_masked", "updated_at"])
    return customer


def customer_reveal_nik(*, customer: Customer, user: User, ip_address: str | None = None) -> str:
    """Return the full NIK to a permitted user, logging the access."""
    if not user.has_perm("accounts.reveal_nik"):
        PersonalDataAccess.objects.create(
            user=user, subject=f"customer:{customer.pk}:nik", action="denied", ip_address=ip_address
        )
        raise DomainError(
            _("You are not allowed to see full NIKs."), code=AccountErrorCode.PERMISSION_DENIED, field="nik"
        )
    PersonalDataAccess.objects.create(
        user=user, subject=f"customer:{customer.pk}:nik", action="reveal", ip_address=ip_address
    )
    return pii_decrypt(customer.nik_encrypted) if customer.nik_encrypted else ""


@transaction.atomic
def customer_set_marketing_consent(*, customer: Customer, granted: bool, source: str = "") -> Customer:
    """Record consent to marketing, separate from consent to the service."""
    customer.consent_marketing = granted
    customer.consent_marketing_at = timezone.now()
    customer.save(update_fields=["consent_marketing", "consent_marketing_at", "updated_at"])
    ConsentRecord.objects.create(customer=customer, kind=ConsentKind.MARKETING, granted=granted, source=source)
    return customer
