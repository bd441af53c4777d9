"""UMKM vendors, products, curation and consignment stock per café."""
