"""Midtrans' notification signature: sha512(order_id + status_code + gross_amount + server_key).

Computed over the exact strings received (``"145000.00"``, not a re-formatted
number); compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac


def signature_compute(*, order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """Return the hex SHA-512 signature Midtrans puts in `signature_key`."""
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def signature_is_valid(body: dict, *, server_key: str) -> bool:
    """Return whether the body's `signature_key` matches its own order_id, status_code and gross_amount."""
    fields = [body.get("order_id"), body.get("status_code"), body.get("gross_amount"), body.get("signature_key")]
    if not server_key or not all(isinstance(value, str) and value for value in fields):
        return False
    expected = signature_compute(
        order_id=fields[0], status_code=fields[1], gross_amount=fields[2], server_key=server_key
    )
    return hmac.compare_digest(expected, fields[3].lower())
