"""Short visit codes: five characters a person can read aloud without confusion."""

import re
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: characters that people and scanners confuse.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 5
_QR_PATTERN = re.compile(r"^GMV1:(\d+):(\d{8}):([A-Z0-9]{4,8})$")


def visit_code_generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def visit_code_clean(raw: str) -> str:
    """Return a typed or scanned code in canonical form (uppercase, no spaces or dashes)."""
    return (raw or "").strip().upper().replace(" ", "").replace("-", "")


def visit_qr_parse(payload: str) -> tuple[int | None, str, str] | None:
    """Return (outlet_id, yyyymmdd, code) from a ticket QR payload, or None if it is not one."""
    match = _QR_PATTERN.match((payload or "").strip())
    if not match:
        return None
    outlet_id = int(match.group(1)) or None
    return outlet_id, match.group(2), match.group(3)
