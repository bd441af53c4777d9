"""Encryption and keyed hashing for personal data (NIK, phone where needed).

Values are encrypted with Fernet (AES-128-CBC + HMAC) under keys from the
environment; several keys allow rotation (the first encrypts, all decrypt).
A keyed HMAC-SHA256 lets the database find a NIK without decrypting anything.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in settings.PII_ENCRYPTION_KEYS])


def pii_encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def pii_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def pii_hash(value: str) -> str:
    """Return the keyed hash of a normalised value (hex), for equality look-ups."""
    return hmac.new(settings.PII_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
