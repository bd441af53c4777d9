"""Café point-of-sale: terminals, printers, shifts, sales, refunds, receipts, offline sync."""
