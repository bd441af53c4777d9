"""The full-text document of each product on PostgreSQL: name (A) > UMKM (B) > description (C), `simple` config."""

from __future__ import annotations

from django.db import connection

_REINDEX_SQL = """
UPDATE catalog_product AS p
SET search_vector =
    setweight(to_tsvector('simple', coalesce(p.name, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(v.name, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(p.description, '')), 'C')
FROM catalog_vendor AS v
WHERE v.id = p.vendor_id
"""


def products_search_reindex(*, product_ids=None, vendor_ids=None) -> None:
    """Rebuild the search document of these products (or of all products of these UMKM); no-op off PostgreSQL."""
    if connection.vendor != "postgresql":
        return
    sql, params = _REINDEX_SQL, []
    if product_ids is not None:
        sql += " AND p.id = ANY(%s)"
        params.append(list(product_ids))
    if vendor_ids is not None:
        sql += " AND p.vendor_id = ANY(%s)"
        params.append(list(vendor_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
