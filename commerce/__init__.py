"""Storefront cart and checkout, orders, Midtrans payments, consignment settlements."""
