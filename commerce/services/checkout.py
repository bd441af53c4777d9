"""The cart and checkout: lines, contact, pickup or delivery, stock reservation, and placing the order once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.exceptions import InvalidPhone
from accounts.models import Outlet
from accounts.phone_numbers import phone_normalize
from accounts.services.customers import customer_get_or_create
from accounts.services.visits import visit_get_or_open_online
from core.exceptions import DomainError, NotFoundError
from core.money import format_rupiah

from ..error_codes import CommerceErrorCode
from ..exceptions import CheckoutChanged, CheckoutError, InvalidQuantity
from ..models import (
    Checkout,
    CheckoutLine,
    CheckoutStatus,
    DeliveryFee,
    DeliveryMethod,
    Order,
    OrderEvent,
    OrderEventType,
    OrderLine,
)
from ..order_codes import order_number_generate, order_token_generate, pickup_code_generate
from ..selectors import checkout_lines_with_variants, outlets_with_all_lines

_CODE_ATTEMPTS = 10


@dataclass(frozen=True)
class LineInput:
    variant_id: int
    quantity: int


@dataclass(frozen=True)
class DeliveryAddress:
    street: str
    kecamatan: str
    rt_rw: str = ""
    desa: str = ""
    postcode: str = ""
    note: str = ""


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    payment: object | None


def _lock(checkout: Checkout) -> Checkout:
    locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
    return locked


def _require_open(checkout: Checkout) -> None:
    if checkout.status != CheckoutStatus.OPEN:
        raise CheckoutError(_("This cart has already been ordered."), code=CommerceErrorCode.CHECKOUT_COMPLETED, field="id")


def _validate_quantity(quantity) -> int:
    limit = settings.CHECKOUT_MAX_LINE_QUANTITY
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1 or quantity > limit:
        raise InvalidQuantity(_("The quantity must be a whole number from 1 to %(max)d.") % {"max": limit})
    return quantity


def _sellable_variants(variant_ids) -> dict:
    from catalog.selectors import variants_sellable

    return {v.pk: v for v in variants_sellable().filter(pk__in=set(variant_ids)).select_related("product")}


def _drop_reservation(checkout: Checkout) -> None:
    """Release the stock held for the cart; it is taken again when the shopper confirms pickup or delivery."""
    from catalog.services.stock import stock_release

    if checkout.reservation_id:
        stock_release(reservation=checkout.reservation)
        checkout.reservation = None
        checkout.save(update_fields=["reservation", "updated_at"])


def _merge_lines(checkout: Checkout, lines: list[LineInput], *, replace: bool) -> None:
    """Add (or with `replace`, set) line quantities; 0 removes a line when replacing."""
    if not lines:
        raise CheckoutError(_("Give at least one product."), code=CommerceErrorCode.REQUIRED, field="lines")
    wanted: dict[int, int] = {}
    for line in lines:
        quantity = line.quantity
        if replace and quantity == 0 and not isinstance(quantity, bool):
            wanted[line.variant_id] = 0
            continue
        _validate_quantity(quantity)
        wanted[line.variant_id] = quantity if replace else wanted.get(line.variant_id, 0) + quantity
    existing = {line.variant_id: line for line in checkout.lines.all()}
    final = {vid: qty if replace else (existing[vid].quantity if vid in existing else 0) + qty for vid, qty in wanted.items()}
    adding = [vid for vid, qty in final.items() if qty > 0]
    variants = _sellable_variants(adding)
    for vid in adding:
        if vid not in variants:
            raise CheckoutError(
                _("This product is not sold (any more)."), code=CommerceErrorCode.PRODUCT_NOT_SELLABLE, field="variantId"
            )
        _validate_quantity(final[vid])
    removing = {vid for vid, qty in final.items() if qty == 0}
    if len((set(existing) - removing) | set(adding)) > settings.CHECKOUT_MAX_LINES:
        raise CheckoutError(
            _("A cart holds at most %(max)d different products.") % {"max": settings.CHECKOUT_MAX_LINES},
            code=CommerceErrorCode.TOO_MANY_LINES, field="lines",
        )
    delete_ids = [existing[vid].pk for vid in removing if vid in existing]
    new, changed = [], []
    for vid in adding:
        line = existing.get(vid)
        if line is None:
            new.append(CheckoutLine(checkout=checkout, variant=variants[vid], quantity=final[vid],
                                    unit_price_seen=variants[vid].price))
        else:
            line.quantity = final[vid]
            line.unit_price_seen = variants[vid].price
            changed.append(line)
    if delete_ids:
        CheckoutLine.objects.filter(pk__in=delete_ids).delete()
    if new:
        CheckoutLine.objects.bulk_create(new)
    if changed:
        CheckoutLine.objects.bulk_update(changed, ["quantity", "unit_price_seen", "updated_at"])
    _drop_reservation(checkout)
    checkout.save(update_fields=["updated_at"])


def _contact(checkout: Checkout, *, name: str | None, phone: str | None, email: str | None) -> list[str]:
    fields = []
    if name is not None:
        checkout.name = name.strip()[:120]
        fields.append("name")
    if phone is not None:
        phone = phone.strip()
        if phone:
            try:
                phone = phone_normalize(phone)
            except InvalidPhone as exc:
                raise CheckoutError(exc.message, code=CommerceErrorCode.INVALID_PHONE, field="phone") from None
        checkout.phone = phone
        fields.append("phone")
    if email is not None:
        from django.core.validators import validate_email

        email = email.strip()
        if email:
            try:
                validate_email(email)
            except Exception:
                raise CheckoutError(_("Enter a valid email address."), code=CommerceErrorCode.INVALID, field="email") from None
        checkout.email = email
        fields.append("email")
    return fields


@transaction.atomic
def checkout_create(*, lines: list[LineInput], user=None, email: str = "", phone: str = "", name: str = "") -> Checkout:
    """Start a cart with these lines; a logged-in shopper's products join their open cart instead."""
    if user is not None and user.is_authenticated:
        checkout = checkout_get_or_create_for_user(user=user)
        checkout = _lock(checkout)
    else:
        checkout = Checkout.objects.create()
    _contact(checkout, name=name or None, phone=phone or None, email=email or None)
    checkout.save()
    _merge_lines(checkout, lines, replace=False)
    return checkout


@transaction.atomic
def checkout_get_or_create_for_user(*, user) -> Checkout:
    """Return the user's open cart (one per user), linked to today's online visit."""
    checkout = Checkout.objects.filter(user=user, status=CheckoutStatus.OPEN).first()
    if checkout is None:
        customer = getattr(user, "customer", None)
        try:
            with transaction.atomic():
                checkout = Checkout.objects.create(
                    user=user, visit=visit_get_or_open_online(user=user),
                    name=(customer.name if customer else "") or user.get_full_name(),
                    phone=(customer.phone if customer else "") or (user.phone or ""),
                    email=(customer.email if customer else "") or user.email,
                )
        except IntegrityError:  # another request of the same user created it first
            checkout = Checkout.objects.get(user=user, status=CheckoutStatus.OPEN)
    return checkout


@transaction.atomic
def checkout_merge(*, source: Checkout, user) -> Checkout:
    """Move an anonymous cart's lines into the user's cart (after login); quantities add up to the line limit."""
    target = _lock(checkout_get_or_create_for_user(user=user))
    if source.pk == target.pk:
        return target
    source = _lock(source)
    if source.status != CheckoutStatus.OPEN or source.user_id not in (None, user.pk):
        return target
    lines = list(source.lines.all())
    existing = {line.variant_id: line for line in target.lines.all()}
    for line in lines:
        current = existing.get(line.variant_id)
        if current is None:
            if len(existing) >= settings.CHECKOUT_MAX_LINES:
                continue
            existing[line.variant_id] = CheckoutLine.objects.create(
                checkout=target, variant_id=line.variant_id, quantity=line.quantity, unit_price_seen=line.unit_price_seen)
        else:
            current.quantity = min(settings.CHECKOUT_MAX_LINE_QUANTITY, current.quantity + line.quantity)
            current.save(update_fields=["quantity", "updated_at"])
    _drop_reservation(source)
    for field in ("name", "phone", "email"):
        if getattr(source, field) and not getattr(target, field):
            setattr(target, field, getattr(source, field))
    target.save()
    _drop_reservation(target)
    source.delete()
    return target


@transaction.atomic
def checkout_lines_add(*, checkout: Checkout, lines: list[LineInput]) -> Checkout:
    """Add products to the cart (quantities add to lines already there)."""
    checkout = _lock(checkout)
    _require_open(checkout)
    _merge_lines(checkout, lines, replace=False)
    return checkout


@transaction.atomic
def checkout_lines_update(*, checkout: Checkout, lines: list[LineInput]) -> Checkout:
    """Set the quantities of products in the cart; 0 removes the line."""
    checkout = _lock(checkout)
    _require_open(checkout)
    _merge_lines(checkout, lines, replace=True)
    return checkout


@transaction.atomic
def checkout_line_delete(*, checkout: Checkout, line_id: int) -> Checkout:
    """Remove one line from the cart."""
    checkout = _lock(checkout)
    _require_open(checkout)
    deleted, _rows = CheckoutLine.objects.filter(checkout=checkout, pk=line_id).delete()
    if not deleted:
        raise NotFoundError(_("This line is not in the cart."), field="lineId")
    _drop_reservation(checkout)
    checkout.save(update_fields=["updated_at"])
    return checkout


@transaction.atomic
def checkout_contact_update(*, checkout: Checkout, name: str | None = None, phone: str | None = None,
                            email: str | None = None) -> Checkout:
    """Set who the order is for: name, phone (for the status messages) and optional email."""
    checkout = _lock(checkout)
    _require_open(checkout)
    fields = _contact(checkout, name=name, phone=phone, email=email)
    checkout.save(update_fields=[*fields, "updated_at"])
    return checkout


def delivery_fee_for(kecamatan: str) -> int:
    """Return the flat fee to deliver to this kecamatan, or refuse a kecamatan we do not deliver to."""
    fee = DeliveryFee.objects.filter(kecamatan__iexact=(kecamatan or "").strip(), is_active=True).first()
    if fee is None:
        raise CheckoutError(
            _("We do not deliver to kecamatan “%(kecamatan)s”. Choose pickup at a café.") % {"kecamatan": kecamatan},
            code=CommerceErrorCode.NO_DELIVERY_TO_KECAMATAN, field="deliveryAddress",
        )
    return fee.fee


def _reserve(checkout: Checkout, outlet: Outlet, lines: list[CheckoutLine]) -> None:
    """Hold the cart's stock at `outlet` for CHECKOUT_RESERVATION_MINUTES (releasing any earlier hold)."""
    from catalog.services.stock import StockLine, stock_release, stock_reserve

    if checkout.reservation_id:
        stock_release(reservation=checkout.reservation)
    checkout.reservation = stock_reserve(
        outlet=outlet,
        lines=[StockLine(variant_id=line.variant_id, quantity=line.quantity) for line in lines],
        expires_at=timezone.now() + datetime.timedelta(minutes=settings.CHECKOUT_RESERVATION_MINUTES),
        reference=f"checkout:{checkout.token}",
        visit=checkout.visit,
    )
    checkout.stock_outlet = outlet


@transaction.atomic
def checkout_delivery_method_update(*, checkout: Checkout, pickup_outlet: Outlet | None = None,
                                    delivery_address: DeliveryAddress | None = None) -> Checkout:
    """Choose pickup at a café (which must have every line in stock) or delivery; hold the stock from now on."""
    checkout = _lock(checkout)
    _require_open(checkout)
    if (pickup_outlet is None) == (delivery_address is None):
        raise CheckoutError(_("Choose either a café for pickup or a delivery address."),
                            code=CommerceErrorCode.DELIVERY_METHOD_REQUIRED, field="deliveryMethod")
    lines = list(checkout.lines.all())
    if not lines:
        raise CheckoutError(_("Your cart is empty."), code=CommerceErrorCode.EMPTY_CHECKOUT, field="lines")
    if pickup_outlet is not None:
        if not (pickup_outlet.is_active and pickup_outlet.offers_sales):
            raise CheckoutError(_("This café does not sell products."), code=CommerceErrorCode.OUTLET_NOT_AVAILABLE,
                                field="pickupOutlet")
        _reserve(checkout, pickup_outlet, lines)
        checkout.delivery_method = DeliveryMethod.PICKUP
        checkout.pickup_outlet = pickup_outlet
        for field in ("address_street", "address_rt_rw", "address_desa", "address_kecamatan", "address_postcode", "address_note"):
            setattr(checkout, field, "")
    else:
        address = delivery_address
        if not address.street.strip():
            raise CheckoutError(_("Enter the street and house number."), code=CommerceErrorCode.REQUIRED, field="deliveryAddress")
        if address.postcode and not (address.postcode.isdigit() and len(address.postcode) == 5):
            raise CheckoutError(_("A postcode has 5 digits."), code=CommerceErrorCode.INVALID, field="deliveryAddress")
        delivery_fee_for(address.kecamatan)
        candidates = outlets_with_all_lines(checkout_lines_with_variants(checkout))
        if not candidates:
            raise CheckoutError(
                _("No café has every product of your cart in stock. Remove the products marked as unavailable."),
                code=CommerceErrorCode.INSUFFICIENT_STOCK, field="lines",
            )
        _reserve(checkout, candidates[0], lines)
        kecamatan = DeliveryFee.objects.get(kecamatan__iexact=address.kecamatan.strip()).kecamatan
        checkout.delivery_method = DeliveryMethod.DELIVERY
        checkout.pickup_outlet = None
        checkout.address_street = address.street.strip()[:200]
        checkout.address_rt_rw = address.rt_rw.strip()[:20]
        checkout.address_desa = address.desa.strip()[:80]
        checkout.address_kecamatan = kecamatan
        checkout.address_postcode = address.postcode.strip()
        checkout.address_note = address.note.strip()[:200]
    checkout.save()
    return checkout


@transaction.atomic
def checkout_refresh(*, checkout: Checkout) -> list[str]:
    """Remove products no longer sold and take in new prices; return what the shopper must be told."""
    checkout = _lock(checkout)
    if checkout.status != CheckoutStatus.OPEN:
        return []
    lines = checkout_lines_with_variants(checkout)
    sellable = _sellable_variants([line.variant_id for line in lines])
    notices: list[str] = []
    removed, repriced = [], []
    for line in lines:
        if line.variant_id not in sellable:
            removed.append(line.pk)
            notices.append(_("“%(product)s” is no longer sold and was removed from your cart.")
                           % {"product": line.variant.product.name})
        elif line.variant.price != line.unit_price_seen:
            notices.append(_("The price of “%(product)s” changed from %(old)s to %(new)s.") % {
                "product": line.variant.product.name, "old": format_rupiah(line.unit_price_seen),
                "new": format_rupiah(line.variant.price)})
            line.unit_price_seen = line.variant.price
            repriced.append(line)
    if removed:
        CheckoutLine.objects.filter(pk__in=removed).delete()
        _drop_reservation(checkout)
    if repriced:
        CheckoutLine.objects.bulk_update(repriced, ["unit_price_seen", "updated_at"])
    return notices


def checkout_complete(*, checkout: Checkout, user=None) -> CheckoutResult:
    """Place the order once (a second call returns the same order) and start its Snap payment.

    The cart is first checked for delisted products and changed prices; if anything changed, the shopper
    is told (`CheckoutChanged`) and nothing is ordered or charged.
    """
    from .order_payments import order_payment_current, order_payment_start

    checkout.refresh_from_db()
    if checkout.status == CheckoutStatus.OPEN:
        notices = checkout_refresh(checkout=checkout)
        if notices:
            raise CheckoutChanged(notices)
    order = _order_place(checkout=checkout, user=user)
    if order.status != "unpaid":
        return CheckoutResult(order=order, payment=order_payment_current(order))
    payment = _payment_start_or_error(order, order_payment_start)
    return CheckoutResult(order=order, payment=payment)


def _payment_start_or_error(order, start):
    from commerce.payments.exceptions import PaymentError

    try:
        return start(order=order)
    except PaymentError as exc:
        raise DomainError(
            _("Your order %(number)s is saved, but the payment could not be started: %(why)s")
            % {"number": order.number, "why": exc.message},
            code=CommerceErrorCode.GATEWAY_UNAVAILABLE, field=None,
        ) from exc


@transaction.atomic
def _order_place(*, checkout: Checkout, user=None) -> Order:
    checkout = _lock(checkout)
    existing = Order.objects.filter(checkout=checkout).first()
    if existing is not None:
        return existing
    _require_open(checkout)
    lines = checkout_lines_with_variants(checkout)
    if not lines:
        raise CheckoutError(_("Your cart is empty."), code=CommerceErrorCode.EMPTY_CHECKOUT, field="lines")
    if not checkout.name.strip():
        raise CheckoutError(_("Enter the name for the order."), code=CommerceErrorCode.REQUIRED, field="name")
    if not checkout.phone:
        raise CheckoutError(_("Enter a phone number: we send the order status there."), code=CommerceErrorCode.REQUIRED, field="phone")
    if checkout.delivery_method not in DeliveryMethod.values or checkout.stock_outlet_id is None:
        raise CheckoutError(_("Choose pickup at a café or delivery."), code=CommerceErrorCode.DELIVERY_METHOD_REQUIRED,
                            field="deliveryMethod")
    for line in lines:
        if line.variant.price != line.unit_price_seen:
            raise CheckoutChanged([_("The price of “%(product)s” changed; check your cart.") % {"product": line.variant.product.name}])
    delivery_fee = delivery_fee_for(checkout.address_kecamatan) if checkout.delivery_method == DeliveryMethod.DELIVERY else 0
    user = user if user is not None and user.is_authenticated else None
    if checkout.user_id and user is None:
        user = checkout.user
    visit = checkout.visit or (visit_get_or_open_online(user=user) if user else None)
    checkout.visit = visit
    # Hold the stock for the whole payment window, starting now (the café's units are taken again if the cart's hold lapsed).
    _reserve(checkout, checkout.stock_outlet, lines)
    customer = customer_get_or_create(phone=checkout.phone, name=checkout.name, email=checkout.email, user=user, source="order")
    subtotal = sum(line.quantity * line.variant.price for line in lines)
    order = None
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    number=order_number_generate(), token=order_token_generate(), pickup_code=pickup_code_generate(),
                    checkout=checkout, user=user, customer=customer, visit=visit,
                    delivery_method=checkout.delivery_method, outlet=checkout.stock_outlet,
                    name=checkout.name, phone=checkout.phone, email=checkout.email,
                    address_street=checkout.address_street, address_rt_rw=checkout.address_rt_rw,
                    address_desa=checkout.address_desa, address_kecamatan=checkout.address_kecamatan,
                    address_postcode=checkout.address_postcode, address_note=checkout.address_note,
                    subtotal=subtotal, delivery_fee=delivery_fee, total=subtotal + delivery_fee,
                    reservation=checkout.reservation, expires_at=checkout.reservation.expires_at,
                )
            break
        except IntegrityError:
            if Order.objects.filter(checkout=checkout).exists():
                raise
            continue  # a number, token or pickup code collided: draw again
    if order is None:
        raise RuntimeError("Could not draw a free order number")
    OrderLine.objects.bulk_create([
        OrderLine(
            order=order, variant=line.variant, vendor_id=line.variant.product.vendor_id,
            product_name=line.variant.product.name, variant_name=line.variant.name, sku=line.variant.sku,
            quantity=line.quantity, unit_price=line.variant.price,
            commission_rate_bp=line.variant.product.vendor.commission_rate_bp,
            line_total=line.quantity * line.variant.price,
        )
        for line in lines
    ])
    OrderEvent.objects.create(order=order, type=OrderEventType.PLACED, to_status=order.status, user=user,
                              message=ngettext("%(count)d product", "%(count)d products", len(lines)) % {"count": len(lines)})
    checkout.status = CheckoutStatus.COMPLETED
    checkout.save()
    from ..notifications import order_notify_status

    order_pk = order.pk
    transaction.on_commit(lambda: order_notify_status(order_id=order_pk))
    return order
