"""Rupiah amounts: integers, formatted the way Indonesian receipts write them."""

from __future__ import annotations

CURRENCY = "IDR"


def format_rupiah(amount: int | None, *, cents: bool = False) -> str:
    """Return `Rp15.000` (dot thousands, no space); `Rp15.000,00` with cents; `-Rp5.000` when negative."""
    if amount is None:
        return ""
    if isinstance(amount, float):
        raise TypeError("Rupiah amounts are integers, never floats.")
    value = int(amount)
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,}".replace(",", ".")
    return f"{sign}Rp{text}{',00' if cents else ''}"


_UNITS = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"]


def terbilang(amount: int) -> str:
    """Spell an amount in Indonesian words, as formal receipts do (`terbilang`)."""
    n = int(amount)
    if n < 0:
        return "minus " + terbilang(-n)
    if n < 12:
        return _UNITS[n] if n else "nol"
    if n < 20:
        return f"{terbilang(n - 10)} belas"
    if n < 100:
        return (f"{terbilang(n // 10)} puluh " + (terbilang(n % 10) if n % 10 else "")).strip()
    if n < 200:
        return ("seratus " + (terbilang(n - 100) if n - 100 else "")).strip()
    if n < 1000:
        return (f"{terbilang(n // 100)} ratus " + (terbilang(n % 100) if n % 100 else "")).strip()
    if n < 2000:
        return ("seribu " + (terbilang(n - 1000) if n - 1000 else "")).strip()
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if n >= size:
            rest = n % size
            return (f"{terbilang(n // size)} {word} " + (terbilang(rest) if rest else "")).strip()
    raise AssertionError("unreachable")
