"""Collection points that each domain app plugs into by module convention.

- `<app>/navigation.py` defines `NAV_ITEMS`: menu entries with the permission that shows them.
- `<app>/roles.py` defines `ROLE_PERMISSIONS`: role slug -> list of "app_label.codename".
- `<app>/demo.py` defines `populate(*, stdout)`: idempotent demo data built through services.

This keeps shared files (settings, base template, populatedb) free of per-app edits.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, reverse

DOMAIN_APPS = ("accounts", "catalog", "commerce.payments", "commerce", "services_desk", "pos")


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    permission: str | None = None  # "app_label.codename"; None = everyone
    authenticated: bool = False
    order: int = 100


def _optional_module(app: str, name: str):
    try:
        return importlib.import_module(f"{app}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{app}.{name}":
            return None
        raise


@cache
def nav_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for app in DOMAIN_APPS:
        module = _optional_module(app, "navigation")
        if module is not None:
            items.extend(module.NAV_ITEMS)
    return tuple(sorted(items, key=lambda item: item.order))


def navigation_for(user) -> list[dict]:
    """Return the menu entries this user may see, with resolved URLs."""
    visible = []
    for item in nav_items():
        if item.authenticated and not user.is_authenticated:
            continue
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url})
    return visible


def role_permissions() -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for app in DOMAIN_APPS:
        module = _optional_module(app, "roles")
        if module is None:
            continue
        for role, perms in module.ROLE_PERMISSIONS.items():
            merged.setdefault(role, set()).update(perms)
    return merged


def demo_modules() -> list:
    return [m for m in (_optional_module(app, "demo") for app in DOMAIN_APPS) if m is not None]
