"""Writes of the point-of-sale domain: terminals, shifts, sales, refunds, offline sync."""
