"""Refusals of the storefront: each carries a code from `CommerceErrorCode` and the input field it is about."""

from core.exceptions import DomainError

from .error_codes import CommerceErrorCode


class CheckoutError(DomainError):
    code = CommerceErrorCode.INVALID


class InvalidQuantity(CheckoutError):
    code = CommerceErrorCode.INVALID_QUANTITY
    field = "quantity"


class CheckoutChanged(CheckoutError):
    """The cart changed under the shopper (price, delisted product): shown to them before anything is charged."""

    code = CommerceErrorCode.CHECKOUT_CHANGED
    field = "lines"

    def __init__(self, notices: list[str]):
        self.notices = notices
        super().__init__(" ".join(notices))


class InvalidTransition(DomainError):
    code = CommerceErrorCode.INVALID_TRANSITION
    field = "status"


class InvalidPickupCode(DomainError):
    code = CommerceErrorCode.INVALID_PICKUP_CODE
    field = "pickupCode"


class InvalidAmount(DomainError):
    code = CommerceErrorCode.INVALID_AMOUNT
    field = "amount"
