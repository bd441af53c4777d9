"""API clients of agencies: a service user bound to one agency, with a bearer token."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services.tokens import token_create_for_user
from accounts.services.users import user_upsert

from ..models import Agency, AgencyStaff
from .catalogue import agency_staff_add


@transaction.atomic
def agency_api_client_create(*, agency: Agency, name: str = "") -> tuple[AgencyStaff, str]:
    """Create a service user for the agency and return it with a fresh token (shown once).

    The user may work the agency's requests only: it is bound to no café, so it can serve no counter.
    """
    number = AgencyStaff.objects.filter(agency=agency, is_api_client=True).count() + 1
    username = f"api-{agency.slug}-{number}"[:150]
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"api-{agency.slug}-{number}"[:150]
    user = user_upsert(
        username=username,
        password=None,
        roles=[Role.SERVICE_OFFICER.value],
        first_name=(name or agency.short_name)[:150],
        last_name="API",
        validate=False,
    )
    user.set_unusable_password()
    user.restricted_to_outlets = True
    user.save(update_fields=["password", "restricted_to_outlets"])
    user.outlets.clear()
    staff = agency_staff_add(agency=agency, user=user, is_api_client=True)
    token = token_create_for_user(
        user=user, name=f"agency:{agency.slug}", ttl=datetime.timedelta(days=settings.AGENCY_TOKEN_TTL_DAYS)
    )
    return staff, token
