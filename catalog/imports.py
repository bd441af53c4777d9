"""CSV/XLSX imports (read with tablib): products for a UMKM, stock counts for a café.

All or nothing: every row is checked inside one transaction; a dry run, or any invalid row, rolls it all
back, and the preview shows each row's result so the file can be fixed and sent again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import DomainError, DomainErrors

from .error_codes import CatalogErrorCode
from .models import Category
from .selectors import variant_find_by_code
from .services.products import VariantInput, product_create
from .services.stock import stock_adjust

PRODUCT_COLUMNS = ["product", "category", "variant", "price", "sku", "barcode", "net_weight", "description"]
STOCK_COLUMNS = ["code", "counted", "note"]


@dataclass
class RowResult:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[RowResult]
    written: bool

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _read(data: bytes, filename: str, required: list[str]) -> list[RowResult]:
    name = filename.lower()
    fmt = "xlsx" if name.endswith(".xlsx") else "csv" if name.endswith(".csv") else None
    if fmt is None:
        raise DomainError(_("Upload a .csv or .xlsx file."), code=CatalogErrorCode.IMPORT_INVALID, field="file")
    try:
        content = data if fmt == "xlsx" else data.decode("utf-8-sig")
        dataset = tablib.Dataset().load(content, format=fmt)
    except Exception:
        raise DomainError(
            _("The file could not be read."), code=CatalogErrorCode.IMPORT_INVALID, field="file"
        ) from None
    headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    missing = [c for c in required if c not in headers]
    if missing:
        raise DomainError(
            _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)},
            code=CatalogErrorCode.IMPORT_INVALID,
            field="file",
        )
    if len(dataset) > settings.CATALOG_IMPORT_MAX_ROWS:
        raise DomainError(
            _("At most %(n)d rows per file.") % {"n": settings.CATALOG_IMPORT_MAX_ROWS},
            code=CatalogErrorCode.IMPORT_INVALID,
            field="file",
        )
    rows = []
    for index, raw in enumerate(dataset, start=2):  # line 1 holds the headers
        values = {h: ("" if v is None else str(v).strip()) for h, v in zip(headers, raw, strict=False)}
        if any(values.values()):
            rows.append(RowResult(line=index, values=values))
    if not rows:
        raise DomainError(_("The file has no rows."), code=CatalogErrorCode.IMPORT_INVALID, field="file")
    return rows


def _messages(exc: DomainError) -> list[str]:
    return [e["message"] for e in exc.as_errors()] if isinstance(exc, DomainErrors) else [exc.message]


def _int(text: str) -> int | None:
    cleaned = text.replace(".", "").replace(",", "").replace("Rp", "").strip()
    if cleaned.endswith("00") and "," in text and text.rsplit(",", 1)[1] in ("0", "00"):
        cleaned = text.rsplit(",", 1)[0].replace(".", "").replace("Rp", "").strip()
    return int(cleaned) if cleaned.lstrip("-").isdigit() else None


def products_import(*, vendor, data: bytes, filename: str, user=None, dry_run: bool = True) -> ImportResult:
    """Create draft products (rows with the same product name become its variants)."""
    rows = _read(data, filename, ["product", "category", "variant", "price"])
    categories = {c.slug: c for c in Category.objects.all()} | {c.name.lower(): c for c in Category.objects.all()}
    groups: dict[str, list[RowResult]] = {}
    for row in rows:
        if not row.values.get("product"):
            row.errors.append(_("Enter the product name."))
        price = _int(row.values.get("price", ""))
        if price is None or price <= 0:
            row.errors.append(_("The price must be whole rupiah above zero."))
        if (row.values.get("category") or "").lower() not in categories:
            row.errors.append(_("Unknown category: %(value)s.") % {"value": row.values.get("category", "")})
        groups.setdefault(row.values.get("product", "").lower(), []).append(row)
    with transaction.atomic():
        for group in groups.values():
            if any(r.errors for r in group):
                continue
            first = group[0].values
            try:
                with transaction.atomic():
                    product_create(
                        vendor=vendor,
                        category=categories[first["category"].lower()],
                        name=first["product"],
                        description=first.get("description", ""),
                        net_weight=first.get("net_weight", ""),
                        variants=[
                            VariantInput(
                                name=r.values["variant"],
                                price=_int(r.values["price"]),
                                sku=r.values.get("sku", ""),
                                barcode=r.values.get("barcode", ""),
                            )
                            for r in group
                        ],
                        user=user,
                    )
            except DomainError as exc:
                for r in group:
                    r.errors.extend(_messages(exc))
        written = not dry_run and not any(r.errors for r in rows)
        if not written:
            transaction.set_rollback(True)
    return ImportResult(rows=rows, written=written)


def stock_counts_import(*, outlet, data: bytes, filename: str, user=None, dry_run: bool = True) -> ImportResult:
    """Book a stock count (opname): each row sets a variant's on-hand quantity at the café."""
    rows = _read(data, filename, ["code", "counted"])
    with transaction.atomic():
        for row in rows:
            variant = variant_find_by_code(row.values.get("code", ""))
            counted = _int(row.values.get("counted", ""))
            if variant is None:
                row.errors.append(_("No product has this code: %(value)s.") % {"value": row.values.get("code", "")})
            if counted is None or counted < 0:
                row.errors.append(_("The counted quantity must be a whole number, 0 or more."))
            if row.errors:
                continue
            try:
                with transaction.atomic():
                    stock_adjust(
                        outlet=outlet,
                        variant=variant,
                        reason="count",
                        counted=counted,
                        note=row.values.get("note", "") or _("Stock count import"),
                        user=user,
                    )
            except DomainError as exc:
                row.errors.extend(_messages(exc))
        written = not dry_run and not any(r.errors for r in rows)
        if not written:
            transaction.set_rollback(True)
    return ImportResult(rows=rows, written=written)
