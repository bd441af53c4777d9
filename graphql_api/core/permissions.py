"""Permission checks for queries and mutations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def user_has_all(user, permissions) -> bool:
    if not permissions:
        return True
    if not user or not user.is_authenticated:
        return False
    return user.has_perms(permissions)


def require_permissions(info, permissions) -> None:
    """Raise PermissionDenied (a GraphQL error) unless the caller holds every permission."""
    user = info.context.user
    if not user_has_all(user, permissions):
        raise PermissionDenied(_("You do not have permission to perform this action."))


def require_login(info) -> None:
    if not info.context.user.is_authenticated:
        raise PermissionDenied(_("Log in first."))
