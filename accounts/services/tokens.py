"""Bearer tokens for the API (`tokenCreate`)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..error_codes import AccountErrorCode
from ..login_security import locked_out, lockout_minutes
from ..models import ApiToken, User

TOKEN_PREFIX = "gmn_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create_for_user(*, user: User, name: str = "", ttl: datetime.timedelta | None = None) -> str:
    """Issue a new token for the user and return it; only its hash is stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ttl = ttl if ttl is not None else datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=_digest(raw),
        key_prefix=raw[:12],
        expires_at=timezone.now() + ttl if ttl else None,
    )
    return raw


def token_create(*, username: str, password: str, request=None) -> tuple[str, User]:
    """Check credentials (username or phone) and issue a token."""
    user = authenticate(request, username=username, password=password)
    if user is None and request is not None and locked_out(request):
        raise DomainError(
            _("Too many failed attempts. Wait %(minutes)d minutes, then try again.") % {"minutes": lockout_minutes()},
            code=AccountErrorCode.TOO_MANY_ATTEMPTS,
            field="username",
        )
    if user is None or not user.is_active:
        raise DomainError(
            _("Please enter a correct username (or phone) and password."),
            code=AccountErrorCode.INVALID_CREDENTIALS,
            field="username",
        )
    # A token is a login: it records the time, and clears the failed attempts counted against this account.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token_create_for_user(user=user, name="tokenCreate"), user


def token_authenticate(raw: str) -> User | None:
    """Return the active user of a valid, unexpired, unrevoked token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(raw), revoked_at__isnull=True).first()
    now = timezone.now()
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, raw: str) -> bool:
    return bool(
        ApiToken.objects.filter(key_hash=_digest(raw), revoked_at__isnull=True).update(revoked_at=timezone.now())
    )
