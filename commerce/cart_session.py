"""Which cart belongs to this browser: an anonymous cart's token lives in the session and is merged on login."""

from __future__ import annotations

from .models import Checkout, CheckoutStatus
from .selectors import checkout_by_token, checkout_open_for_user
from .services.checkout import checkout_get_or_create_for_user, checkout_merge

SESSION_KEY = "checkout_token"


def cart_for_request(request, *, create: bool = False) -> Checkout | None:
    """Return the browser's open cart (merging an anonymous cart into the user's after login); create one if asked."""
    user = request.user
    token = request.session.get(SESSION_KEY)
    anonymous = checkout_by_token(token) if token else None
    if anonymous is not None and (anonymous.status != CheckoutStatus.OPEN or anonymous.user_id):
        anonymous = None
    if user.is_authenticated:
        if anonymous is not None:
            request.session.pop(SESSION_KEY, None)
            return checkout_merge(source=anonymous, user=user)
        request.session.pop(SESSION_KEY, None)
        checkout = checkout_open_for_user(user)
        if checkout is None and create:
            checkout = checkout_get_or_create_for_user(user=user)
        return checkout
    if anonymous is None and create:
        anonymous = Checkout.objects.create()
        request.session[SESSION_KEY] = str(anonymous.token)
    return anonymous
