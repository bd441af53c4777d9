"""Safe CSV for people who open it in a spreadsheet."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str | int:
    """A value for a CSV cell: text that a spreadsheet would run as a formula is kept as text.

    Names come from users (a UMKM can call itself `=HYPERLINK(…)`); a leading quote makes Excel and
    LibreOffice show the text instead of evaluating it. Numbers stay numbers.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
