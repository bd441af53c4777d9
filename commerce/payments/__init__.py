"""Midtrans payments: the client wrapper, the payment ledger, notifications, the built-in simulator."""
