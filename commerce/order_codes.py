"""Order numbers, access tokens and pickup codes: random, so none can be guessed from another."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: characters that people and scanners confuse.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
_PICKUP_QR = re.compile(r"^GMO1:([A-Z0-9-]{4,20}):([A-Z0-9]{4,12})$")


def _draw(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def order_number_generate() -> str:
    """Return a number such as `GM-7KQ4-X9PD`: 25^8 possibilities, not in sequence."""
    code = _draw(8)
    return f"GM-{code[:4]}-{code[4:]}"


def order_token_generate() -> str:
    """Return the secret that opens an order page without logging in (256 bits)."""
    return secrets.token_urlsafe(32)


def pickup_code_generate() -> str:
    return _draw(8)


def pickup_code_parse(raw: str) -> tuple[str | None, str]:
    """Return (order number or None, pickup code) from a scanned QR payload or a typed code."""
    text = (raw or "").strip().upper()
    match = _PICKUP_QR.match(text)
    if match:
        return match.group(1), match.group(2)
    return None, text.replace(" ", "").replace("-", "")
