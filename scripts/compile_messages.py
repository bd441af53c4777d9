"""Compile every `locale/*/LC_MESSAGES/django.po` to `.mo` with Babel (no GNU gettext needed)."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    # Apps one level down (accounts/) and nested apps (commerce/payments/).
    nested = sorted(ROOT.glob("*/*/locale/*/LC_MESSAGES/*.po"))
    for po_path in (
        sorted(ROOT.glob("*/locale/*/LC_MESSAGES/*.po")) + nested + sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))
    ):
        if ".venv" in po_path.parts:
            continue
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)


if __name__ == "__main__":
    main()
