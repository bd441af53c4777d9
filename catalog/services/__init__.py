"""Writes of the catalogue domain: vendors, products, curation, photos, imports, stock."""
