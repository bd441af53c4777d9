"""Staff and customer accounts."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from core.exceptions import domain_error_from_validation

from ..models import Outlet, User
from ..phone_numbers import phone_normalize
from .outlets import user_set_outlets
from .roles import user_set_roles


@transaction.atomic
def user_upsert(
    *,
    username: str,
    password: str | None,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str | None = None,
    outlets: list[Outlet] | None = None,
    is_staff: bool = False,
    validate: bool = True,
) -> User:
    """Create or update an account with exactly these roles.

    `validate=False` skips Django's password rules; only demo data uses it.
    """
    user = User.objects.filter(username=username).first() or User(username=username)
    user.first_name, user.last_name, user.email, user.is_staff = first_name, last_name, email, is_staff
    user.phone = phone_normalize(phone) if phone else None
    if password is not None and (user.pk is None or not user.check_password(password)):
        if validate:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise domain_error_from_validation(ValidationError({"password": exc.messages})) from None
        user.set_password(password)
    user.save()
    user_set_roles(user=user, roles=roles)
    if outlets is not None:
        user_set_outlets(user=user, outlets=outlets, restricted=bool(outlets))
    return user
