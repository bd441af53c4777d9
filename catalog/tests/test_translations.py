"""Bahasa Indonesia is the default: every English string of the catalogue has its Indonesian translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "catalog", ROOT / "graphql_api" / "catalog", ROOT / "frontend_templates" / "catalog"]
PY_STRING = re.compile(r"""\b_\(\s*"((?:[^"\\\n]|\\.)*)"\s*[,)]""")
TEMPLATE_STRING = re.compile(r"""\{%\s*translate\s+"((?:[^"\\]|\\.)*)"(?:\s+as\s+\w+)?\s*%\}""")


def source_messages() -> set[str]:
    found = set()
    for base in SOURCES:
        for path in base.rglob("*"):
            if "tests" in path.parts or "migrations" in path.parts or not path.is_file():
                continue
            if path.suffix == ".py":
                found.update(m.replace('\\"', '"') for m in PY_STRING.findall(path.read_text()))
            elif path.suffix in (".html", ".txt"):
                found.update(TEMPLATE_STRING.findall(path.read_text()))
    return found


def test_every_catalogue_string_has_an_indonesian_translation():
    with (ROOT / "catalog" / "locale" / "id" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = sorted(source_messages() - translated)
    assert missing == [], "\n".join(missing)


def test_the_scanner_finds_strings():
    assert "Not enough stock. %(details)s." in source_messages()
