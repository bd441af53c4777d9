"""Role groups and their permissions, kept in step with every app's `roles.py`."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.roles import Role
from core.registry import role_permissions


@transaction.atomic
def roles_sync(*, using: str = "default") -> dict[str, int]:
    """Create or update one group per role with exactly the declared permissions. Idempotent."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    declared = role_permissions()
    wanted = {p for perms in declared.values() for p in perms}
    by_name = {}
    for perm in (
        Permission.objects.using(using)
        .select_related("content_type")
        .filter(content_type__app_label__in={p.split(".")[0] for p in wanted})
    ):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    missing = wanted - by_name.keys()
    if missing:
        raise LookupError(f"Roles refer to unknown permissions: {sorted(missing)}")
    counts = {}
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        perms = [by_name[p] for p in sorted(declared.get(role.value, ()))]
        group.permissions.set(perms)
        counts[role.value] = len(perms)
    return counts


def user_set_roles(*, user, roles: list[str]) -> None:
    """Give a user exactly these roles."""
    groups = list(Group.objects.filter(name__in=roles))
    if len(groups) != len(set(roles)):
        raise LookupError(f"Unknown roles: {sorted(set(roles) - {g.name for g in groups})}")
    user.groups.set(groups)
