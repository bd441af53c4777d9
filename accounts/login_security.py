"""How failed logins are counted (django-axes): who is trying, and from where.

A customer may type their phone as `0812…`, `62812…` or `+62 812-…`: all count as the same account,
so changing the spelling does not buy an attacker more attempts.
"""

from __future__ import annotations

from django.conf import settings

from .exceptions import InvalidPhone
from .phone_numbers import phone_looks_like, phone_normalize


def login_identity(request, credentials) -> str:
    username = str((credentials or {}).get("username") or "").strip()
    if username and phone_looks_like(username):
        try:
            return phone_normalize(username)
        except InvalidPhone:
            pass
    return username.lower()


def client_ip(request) -> str:
    """The client's address: the socket's, or the one the trusted proxies saw (counted from the right)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request) -> bool:
    """Whether the login just refused was refused because of too many failures."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
