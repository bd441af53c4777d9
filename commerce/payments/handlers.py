"""What other apps do when a payment's status changes.

The commerce app registers ``"order"`` and the POS registers ``"pos_sale"`` in their
``AppConfig.ready()``::

    register_payment_handler("order", order_payment_changed)

``handler(payment, previous_status)`` runs inside the transaction that changes the
status, with the payment row locked: if it raises, the change is rolled back (a
notification is then answered with HTTP 500 and Midtrans sends it again). Handlers
are not called for a payment flagged as a second payment of the same reference
(``flag_reason == "duplicate_payment"``): its money is never counted twice; staff
refund it from the flagged payments screen. A handler sees ``payment.flagged`` and
``payment.flag_reason`` for the other flags (e.g. paid after the order expired).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

PaymentHandler = Callable[..., None]

_handlers: dict[str, list[PaymentHandler]] = {}


def register_payment_handler(purpose: str, handler: PaymentHandler) -> None:
    """Call `handler(payment, previous_status)` whenever a payment of this purpose changes status."""
    registered = _handlers.setdefault(str(purpose), [])
    if handler not in registered:
        registered.append(handler)


def unregister_payment_handler(purpose: str, handler: PaymentHandler) -> None:
    registered = _handlers.get(str(purpose), [])
    if handler in registered:
        registered.remove(handler)


def handlers_for(purpose: str) -> list[PaymentHandler]:
    return list(_handlers.get(str(purpose), []))


def payment_handlers_dispatch(payment, previous_status: str) -> None:
    """Run the handlers of the payment's purpose (inside the caller's transaction)."""
    for handler in handlers_for(payment.purpose):
        handler(payment, previous_status)
