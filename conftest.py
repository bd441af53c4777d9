"""Fixtures shared by every test: role users, the demo café, GraphQL helpers, environment markers."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from django.db import connection

IN_CI = os.environ.get("CI") == "true"


def pytest_configure(config):
    # Translations are compiled by `make install`; do it here too for a bare `pytest` run.
    import runpy
    from pathlib import Path

    runpy.run_path(str(Path(__file__).parent / "scripts" / "compile_messages.py"), run_name="__main__")


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    on_postgres = "postgresql" in engine
    has_chromium = bool(shutil.which("chromium") or shutil.which("chromium-browser"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            reason = "needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)"
            if IN_CI:
                item.add_marker(
                    pytest.mark.xfail(reason="CI must run on PostgreSQL: " + reason, strict=True, run=False)
                )
            else:
                item.add_marker(pytest.mark.skip(reason=reason))
        if "browser" in item.keywords and not has_chromium:
            reason = "needs Chromium: apt-get install -y chromium (CI does)"
            if IN_CI:
                item.add_marker(pytest.mark.xfail(reason="CI must have Chromium: " + reason, strict=True, run=False))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _tmp_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.DEFAULT_PRINTER_URL = "dummy:"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # PBKDF2's cost is for attackers, not for test fixtures creating users by the hundred.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db):
    from accounts.services.roles import roles_sync

    return roles_sync()


@pytest.fixture
def outlet(db):
    from accounts.models import OutletLevel
    from accounts.services.outlets import outlet_upsert

    return outlet_upsert(code="GLR", name="Galeri Gemilang", level=OutletLevel.REGENCY, kecamatan="Trenggalek")


@pytest.fixture
def other_outlet(db, outlet):
    from accounts.models import OutletLevel
    from accounts.services.outlets import outlet_upsert

    return outlet_upsert(
        code="DRN", name="Kafe Durenan", level=OutletLevel.KECAMATAN, kecamatan="Durenan", parent=outlet
    )


def _make_user(username, role, outlets=None):
    from accounts.services.users import user_upsert

    return user_upsert(username=username, password="gemilang123", roles=[role], outlets=outlets or [], validate=False)


@pytest.fixture
def make_user(roles):
    return _make_user


@pytest.fixture
def admin_user(roles):
    user = _make_user("admin", "regency_admin")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def manager(roles, outlet):
    return _make_user("manajer", "outlet_manager", [outlet])


@pytest.fixture
def cashier(roles, outlet):
    return _make_user("kasir", "cashier", [outlet])


@pytest.fixture
def officer(roles, outlet):
    return _make_user("petugas", "service_officer", [outlet])


@pytest.fixture
def curator(roles):
    return _make_user("kurator", "curator")


@pytest.fixture
def owner(roles):
    return _make_user("pemilik", "umkm_owner")


@pytest.fixture
def other_owner(roles):
    return _make_user("pemilik2", "umkm_owner")


@pytest.fixture
def customer_user(roles):
    return _make_user("pembeli", "customer")


@pytest.fixture
def gql(client):
    """Run a GraphQL operation as the given user (or anonymously); return the decoded JSON."""

    def run(query: str, variables: dict | None = None, *, user=None, token: str | None = None):
        headers = {}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        elif user is not None:
            from accounts.services.tokens import token_create_for_user

            headers["HTTP_AUTHORIZATION"] = f"Bearer {token_create_for_user(user=user)}"
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )
        assert response.status_code in (200, 400), response.content
        return response.json()

    return run


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": shutil.which("chromium") or shutil.which("chromium-browser"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def on_postgres() -> bool:
    return connection.vendor == "postgresql"
