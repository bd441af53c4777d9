"""Ring up a sale: once per client id, whether it comes from the POS screen, the API or an offline sync.

A cash sale completes at once: its stock leaves through the catalogue's ledger (consuming the
visit's kiosk reservation), the commission rate of each UMKM is frozen on each line, the visit
is counted as a purchase and the receipt is printed after commit. A sale with a QRIS part holds
its stock with a reservation and completes when the payment is paid (notification or status
check); it is cancelled, and the stock released, when the payment fails or times out.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User, Visit
from accounts.selectors import user_can_act_at_outlet, user_outlet_access, visit_find
from accounts.services.visits import visit_mark_purchase
from core.exceptions import NotFoundError

from ..error_codes import PosErrorCode
from ..exceptions import InvalidAmount, OutletNotAllowed, PosError, ShiftClosed
from ..models import (
    PaymentMethod,
    Sale,
    SaleLine,
    SalePayment,
    SalePaymentStatus,
    SaleStatus,
    Shift,
    ShiftStatus,
    Terminal,
)

MAX_LINES = 200
MAX_QUANTITY = 10000
MAX_AMOUNT = 10**12


@dataclass(frozen=True)
class SaleLineInput:
    """One line as rung up: a variant id or a scanned code (barcode, SKU, internal code)."""

    quantity: int
    variant_id: int | None = None
    code: str = ""
    discount: int = 0
    discount_reason: str = ""


@dataclass(frozen=True)
class PaymentInput:
    method: str
    amount: int
    tendered: int | None = None


def _int(value, *, field: str, minimum: int = 0, maximum: int = MAX_AMOUNT, message: str | None = None) -> int:
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidAmount(message or _("Enter a whole rupiah amount."), field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidAmount(message or _("Enter a whole rupiah amount."), field=field) from None
    if number < minimum or number > maximum:
        raise InvalidAmount(message or _("The amount is out of range."), field=field)
    return number


def _client_uuid(client_id) -> uuid.UUID:
    try:
        return client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    except (TypeError, ValueError):
        raise PosError(
            _("The sale needs a valid client id (UUID)."), code=PosErrorCode.INVALID, field="client_id"
        ) from None


def _existing(client_id: uuid.UUID) -> Sale | None:
    return Sale.objects.select_related("terminal", "outlet", "shift").filter(client_id=client_id).first()


def _same_sale(existing: Sale, *, shift_id: int, user: User) -> Sale:
    """A repeated client id: the sale recorded first, if it is this shift's and the caller may see it."""
    if existing.shift_id != shift_id:
        raise PosError(
            _("This client id was already used for another sale."),
            code=PosErrorCode.DUPLICATE_CLIENT_ID,
            field="client_id",
        )
    if not user_can_act_at_outlet(user, existing.outlet_id):
        raise OutletNotAllowed(_("You are not assigned to this café."))
    return existing


def _resolve_variants(lines: list[SaleLineInput], *, offline: bool) -> list:
    """Return the variant of each line, read in bulk (two queries at most whatever the number of lines)."""
    from catalog.models import ProductVariant
    from catalog.selectors import variants_sellable

    ids = {line.variant_id for line in lines if line.variant_id}
    codes = {line.code.strip() for line in lines if not line.variant_id and line.code.strip()}
    by_code: dict[str, int] = {}
    if codes:
        upper = {c.upper() for c in codes}
        digits = {c for c in codes if c.isdigit()}
        rows = ProductVariant.objects.filter(
            Q(internal_code__in=upper) | Q(sku__in=codes) | Q(barcode__in=digits)
        ).values_list("pk", "barcode", "sku", "internal_code")
        for pk, barcode, sku, internal in rows:
            for key in (barcode, sku, (internal or "").upper()):
                if key:
                    by_code.setdefault(key.upper(), pk)
        for code in codes:
            if code.upper() not in by_code:
                raise PosError(
                    _("No product has the code %(code)s.") % {"code": code[:40]},
                    code=PosErrorCode.PRODUCT_NOT_FOUND,
                    field="lines",
                )
        ids |= set(by_code.values())
    # Offline sales already handed the goods over: accept them even if the product changed state meanwhile.
    base = ProductVariant.objects.select_related("product", "product__vendor") if offline else variants_sellable()
    variants = {v.pk: v for v in base.filter(pk__in=ids)}
    result = []
    for line in lines:
        vid = line.variant_id or by_code.get(line.code.strip().upper())
        variant = variants.get(vid)
        if variant is None:
            exists = ProductVariant.objects.filter(pk=vid).select_related("product").first() if vid else None
            if exists is None:
                raise PosError(_("This product does not exist."), code=PosErrorCode.PRODUCT_NOT_FOUND, field="lines")
            raise PosError(
                _("%(product)s cannot be sold now (not approved, permit expired or UMKM inactive).")
                % {"product": exists.product.name},
                code=PosErrorCode.PRODUCT_NOT_SELLABLE,
                field="lines",
            )
        result.append(variant)
    return result


def _resolve_visit(*, visit: Visit | None, visit_code: str, outlet, day: datetime.date) -> Visit | None:
    if visit is not None:
        if visit.outlet_id != outlet.pk:
            raise PosError(
                _("This visit belongs to another café."), code=PosErrorCode.VISIT_NOT_FOUND, field="visit_code"
            )
        return visit
    visit_code = (visit_code or "").strip()
    if not visit_code:
        return None
    found = visit_find(code_or_qr=visit_code, outlet=outlet, date=day)
    if found is None:
        raise PosError(
            _("No visit %(code)s today at this café.") % {"code": visit_code[:40]},
            code=PosErrorCode.VISIT_NOT_FOUND,
            field="visit_code",
        )
    return found


def _stock_error(exc) -> PosError:
    return PosError(exc.message, code=PosErrorCode.INSUFFICIENT_STOCK, field="lines")


def sale_complete(
    *,
    shift: Shift | int,
    lines: list[SaleLineInput],
    payments: list[PaymentInput],
    client_id,
    user: User,
    visit: Visit | None = None,
    visit_code: str = "",
    offline: bool = False,
    sold_at: datetime.datetime | None = None,
) -> Sale:
    """Record a POS sale, take its stock and its payments, once per client_id.

    A retried or duplicated submission (same client id) returns the sale recorded first.
    `offline=True` marks a sale rung up while the register could not reach the server: it is
    accepted into its shift even if that shift has closed meanwhile (marked late sync), and a
    shortage of stock is flagged as an oversell instead of refused, because the goods are gone.
    `shift` may be given by its id: it is read (and locked) here anyway.
    """
    shift_id = shift if isinstance(shift, int) else shift.pk
    client_uuid = _client_uuid(client_id)
    existing = _existing(client_uuid)
    if existing is not None:
        return _same_sale(existing, shift_id=shift_id, user=user)
    try:
        sale = _sale_create(
            shift_id=shift_id,
            lines=lines,
            payments=payments,
            client_id=client_uuid,
            user=user,
            visit=visit,
            visit_code=visit_code,
            offline=offline,
            sold_at=sold_at,
        )
    except IntegrityError:
        existing = _existing(client_uuid)
        if existing is None:
            raise
        return _same_sale(existing, shift_id=shift_id, user=user)
    if sale.status == SaleStatus.AWAITING_PAYMENT:
        _qris_start(sale=sale)
    return sale


@transaction.atomic
def _sale_create(*, shift_id, lines, payments, client_id, user, visit, visit_code, offline, sold_at) -> Sale:
    from catalog.exceptions import InsufficientStock, ProductNotSellable

    # Lock the shift (only its row) so that a sale and the shift's close never interleave; the same
    # query says whether the cashier may act at its café.
    shift = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("terminal", "terminal__outlet")
        .annotate(user_allowed=user_outlet_access(user, "terminal__outlet_id"))
        .filter(pk=shift_id)
        .first()
    )
    if shift is None:
        raise NotFoundError(_("This shift was not found."), field="shift")
    terminal = shift.terminal
    outlet = terminal.outlet
    if not shift.user_allowed:
        raise OutletNotAllowed(_("You are not assigned to this café."))
    late_sync = False
    if shift.status != ShiftStatus.OPEN:
        if not offline:
            raise ShiftClosed(_("This shift is closed. Open a new shift to sell."))
        late_sync = True
    now = timezone.now()
    sold_at = sold_at or now
    if offline and sold_at > now + datetime.timedelta(minutes=5):
        sold_at = now  # a register clock running ahead must not date a sale in the future

    # --- the lines ---
    if not lines:
        raise PosError(_("The cart is empty."), code=PosErrorCode.EMPTY_SALE, field="lines")
    if len(lines) > MAX_LINES:
        raise PosError(_("Too many lines in one sale."), code=PosErrorCode.INVALID, field="lines")
    clean_lines = []
    for line in lines:
        quantity = _int(
            line.quantity,
            field="lines",
            minimum=1,
            maximum=MAX_QUANTITY,
            message=_("Each quantity must be a whole number from 1."),
        )
        discount = _int(
            line.discount or 0, field="lines", message=_("A discount must be a whole amount, not negative.")
        )
        reason = (line.discount_reason or "").strip()
        if discount:
            if not user.has_perm("pos.give_discount"):
                raise PosError(_("You may not give discounts."), code=PosErrorCode.DISCOUNT_NOT_ALLOWED, field="lines")
            if not reason:
                raise PosError(
                    _("Give the reason for the discount."), code=PosErrorCode.DISCOUNT_REASON_REQUIRED, field="lines"
                )
        clean_lines.append((quantity, discount, reason[:200], line))
    variants = _resolve_variants([c[3] for c in clean_lines], offline=offline)

    sale_lines = []
    subtotal = discount_total = 0
    for (quantity, discount, reason, _line), variant in zip(clean_lines, variants, strict=True):
        gross = quantity * variant.price
        if discount > gross:
            raise PosError(
                _("The discount on %(product)s is more than its price.") % {"product": variant.product.name},
                code=PosErrorCode.INVALID,
                field="lines",
            )
        vendor = variant.product.vendor
        sale_lines.append(
            SaleLine(
                variant=variant,
                vendor=vendor,
                product_name=f"{variant.product.name} {variant.name}".strip()[:200],
                vendor_name=vendor.name[:200],
                quantity=quantity,
                unit_price=variant.price,
                discount=discount,
                discount_reason=reason,
                line_total=gross - discount,
                commission_rate_bp=vendor.commission_rate_bp,
            )
        )
        subtotal += gross
        discount_total += discount
    total = subtotal - discount_total

    # --- the payments ---
    cash_amount = qris_amount = tendered = 0
    seen = set()
    for pay in payments or []:
        method = str(pay.method).lower()
        if method not in PaymentMethod.values or method in seen:
            raise PosError(_("Pay with cash, QRIS or one of each."), code=PosErrorCode.INVALID, field="payments")
        seen.add(method)
        amount = _int(pay.amount, field="payments", minimum=1, message=_("Each payment needs an amount above zero."))
        if method == PaymentMethod.CASH:
            cash_amount = amount
            tendered = amount if pay.tendered in (None, "") else _int(pay.tendered, field="payments")
            if tendered < amount:
                raise PosError(
                    _("The cash tendered is less than the cash amount."),
                    code=PosErrorCode.INSUFFICIENT_TENDER,
                    field="payments",
                )
        else:
            if offline:
                raise PosError(
                    _("QRIS needs a connection; offline sales are paid in cash."),
                    code=PosErrorCode.INVALID,
                    field="payments",
                )
            qris_amount = amount
    if cash_amount + qris_amount != total:
        raise PosError(
            _("The payments (%(paid)s) do not add up to the total (%(total)s).")
            % {"paid": f"Rp{cash_amount + qris_amount:,}".replace(",", "."), "total": f"Rp{total:,}".replace(",", ".")},
            code=PosErrorCode.PAYMENT_MISMATCH,
            field="payments",
        )

    visit = _resolve_visit(visit=visit, visit_code=visit_code, outlet=outlet, day=timezone.localtime(sold_at).date())

    # A duplicate submission racing this one waited on the shift's lock; its insert below then
    # breaks the unique client id, everything here rolls back (the receipt number too) and
    # `sale_complete` returns the sale recorded first.
    number = _next_receipt_number(terminal.pk)
    awaiting = qris_amount > 0
    sale = Sale.objects.create(
        client_id=client_id,
        shift=shift,
        terminal=terminal,
        outlet=outlet,
        cashier=user,
        number=f"{outlet.code}-{terminal.code}-{number:06d}",
        status=SaleStatus.AWAITING_PAYMENT if awaiting else SaleStatus.COMPLETED,
        visit=visit,
        subtotal=subtotal,
        discount_total=discount_total,
        total=total,
        cash_amount=cash_amount,
        qris_amount=qris_amount,
        tendered=tendered,
        change=tendered - cash_amount,
        sold_at=sold_at,
        completed_at=None if awaiting else now,
        receipt_token=secrets.token_urlsafe(24),
        offline=offline,
        late_sync=late_sync,
    )
    sale.terminal = terminal
    for line in sale_lines:
        line.sale = sale
    SaleLine.objects.bulk_create(sale_lines)
    pay_rows = []
    if cash_amount:
        pay_rows.append(
            SalePayment(
                sale=sale,
                method=PaymentMethod.CASH,
                amount=cash_amount,
                tendered=tendered,
                status=SalePaymentStatus.PAID,
            )
        )
    if qris_amount:
        pay_rows.append(
            SalePayment(sale=sale, method=PaymentMethod.QRIS, amount=qris_amount, status=SalePaymentStatus.PENDING)
        )
    SalePayment.objects.bulk_create(pay_rows)

    stock_lines = _stock_lines(sale_lines)
    try:
        if awaiting:
            _hold_stock(sale=sale, stock_lines=stock_lines, visit=visit, allow_negative=terminal.allow_negative_stock)
        else:
            _take_stock(
                sale=sale,
                stock_lines=stock_lines,
                user=user,
                allow_negative=offline or terminal.allow_negative_stock,
                variants={variant.pk: variant for variant in variants},
                new_reference=True,
            )
    except InsufficientStock as exc:
        raise _stock_error(exc) from None
    except ProductNotSellable as exc:
        raise PosError(exc.message, code=PosErrorCode.PRODUCT_NOT_SELLABLE, field="lines") from None

    # What the receipt needs is in memory already: no need to read it back.
    sale.shift = shift
    sale.outlet = outlet
    sale.cashier = user
    sale.visit = visit
    sale._prefetched_objects_cache = {
        "lines": _cached_queryset(SaleLine.objects.filter(sale=sale), sale_lines),
        "payments": _cached_queryset(SalePayment.objects.filter(sale=sale), pay_rows),
    }
    if not awaiting:
        _after_completion(sale, print_receipt=not offline)
    return sale


def _next_receipt_number(terminal_id: int) -> int:
    """Take the terminal's next receipt number in one statement (atomic under concurrency, undone on rollback)."""
    qn = connection.ops.quote_name
    table = qn(Terminal._meta.db_table)
    column = qn(Terminal._meta.get_field("last_receipt_number").column)
    with connection.cursor() as cursor:
        # Identifiers come from the model and are quoted; the only value is a parameter.
        sql = f"UPDATE {table} SET {column} = {column} + 1 WHERE {qn('id')} = %s RETURNING {column}"  # noqa: S608
        cursor.execute(sql, [terminal_id])
        return cursor.fetchone()[0]


def _cached_queryset(queryset, rows: list):
    """Return the queryset already evaluated to `rows` (as prefetch_related would leave it)."""
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    return queryset


def _stock_lines(sale_lines: list[SaleLine]):
    """Merge the sale's lines per variant for the stock ledger (price and commission are the variant's)."""
    from catalog.services.stock import StockLine

    merged: OrderedDict[int, list] = OrderedDict()
    for line in sale_lines:
        row = merged.setdefault(line.variant_id, [0, line.unit_price, line.commission_rate_bp])
        row[0] += line.quantity
    return [
        StockLine(variant_id=vid, quantity=qty, unit_price=price, commission_rate_bp=rate)
        for vid, (qty, price, rate) in merged.items()
    ]


def _visit_reservation(*, visit, outlet_id: int, variant_ids: set[int]):
    """The visit's active kiosk reservation at this café that holds any of the products sold, if any."""
    if visit is None:
        return None
    from catalog.selectors import reservations_active_for_visit

    for reservation in reservations_active_for_visit(visit):
        if reservation.outlet_id == outlet_id and any(
            line.variant_id in variant_ids for line in reservation.lines.all()
        ):
            return reservation
    return None


def _take_stock(
    *, sale: Sale, stock_lines, user, allow_negative: bool, reservation=None, variants=None, new_reference=False
) -> None:
    from catalog.services.stock import stock_commit_sale

    if reservation is None:
        reservation = _visit_reservation(
            visit=sale.visit, outlet_id=sale.outlet_id, variant_ids={line.variant_id for line in stock_lines}
        )
    movements = stock_commit_sale(
        outlet=sale.outlet,
        lines=stock_lines,
        reference=sale.number,
        reservation=reservation,
        allow_negative=allow_negative,
        user=user,
        variants=variants,
        new_reference=new_reference,
        savepoint=False,  # both callers run in their own atomic block, which an error leaves whole
    )
    oversold_variants = {m.variant_id for m in movements if getattr(m, "oversold", False)}
    if oversold_variants:
        SaleLine.objects.filter(sale=sale, variant_id__in=oversold_variants).update(oversold=True)
        Sale.objects.filter(pk=sale.pk).update(oversold=True)
        sale.oversold = True


def _hold_stock(*, sale: Sale, stock_lines, visit, allow_negative: bool) -> None:
    """Reserve the units of a sale waiting for its QRIS payment."""
    from catalog.services.stock import stock_reserve

    if allow_negative:
        return  # the manager allows selling without stock: nothing to hold, the commit will flag it
    expires = timezone.now() + datetime.timedelta(minutes=settings.POS_QRIS_TIMEOUT_MINUTES + 5)
    reservation = stock_reserve(
        outlet=sale.outlet, lines=stock_lines, expires_at=expires, reference=f"pos:{sale.number}", visit=None
    )
    Sale.objects.filter(pk=sale.pk).update(reservation=reservation)
    sale.reservation = reservation


def _after_completion(sale: Sale, *, print_receipt: bool) -> None:
    if sale.visit_id:
        visit_mark_purchase(visit_id=sale.visit_id)
    if print_receipt:
        transaction.on_commit(lambda: _print_receipt_later(sale))


def _print_receipt_later(sale: Sale) -> None:
    from ..receipts import sale_receipt_print

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # A worker renders and prints: the register's request ends with the sale's own commit.
        from ..tasks import sale_receipt_print_task

        sale_receipt_print_task.delay(sale.pk)
        return
    if "lines" not in getattr(sale, "_prefetched_objects_cache", {}):
        from ..selectors import sale_with_details

        sale = sale_with_details(sale_id=sale.pk)
    with transaction.atomic():
        sale_receipt_print(sale=sale)


# --- QRIS ---------------------------------------------------------------------------------------


def _qris_start(*, sale: Sale) -> None:
    """Ask Midtrans for the QRIS code of the sale; on a gateway failure cancel the sale and say so."""
    from commerce.payments.exceptions import PaymentError
    from commerce.payments.models import PaymentPurpose
    from commerce.payments.services import payment_start_qris

    try:
        payment = payment_start_qris(
            purpose=PaymentPurpose.POS_SALE, reference=str(sale.client_id), gross_amount=sale.qris_amount
        )
    except PaymentError as exc:
        sale_cancel(sale=sale, reason="gateway")
        raise PosError(
            _("QRIS is not available right now (%(error)s). Take cash or try again.") % {"error": exc.message},
            code=PosErrorCode.GATEWAY_ERROR,
            field="payments",
        ) from None
    SalePayment.objects.filter(sale=sale, method=PaymentMethod.QRIS).update(gateway_order_id=payment.midtrans_order_id)
    sale._qris_payment = payment


def sale_qris_payment(sale: Sale):
    """Return the Midtrans payment of the sale's QRIS part, or None."""
    if not sale.qris_amount:
        return None
    from commerce.payments.models import Payment, PaymentPurpose

    return (
        Payment.objects.filter(purpose=PaymentPurpose.POS_SALE, reference=str(sale.client_id)).order_by("-pk").first()
    )


@transaction.atomic
def sale_payment_settle(*, sale: Sale, paid: bool, user: User | None = None) -> Sale:
    """Complete (paid) or cancel (failed, expired, cancelled) a sale waiting for its QRIS payment. Idempotent."""
    sale = Sale.objects.select_for_update(of=("self",)).select_related("outlet", "terminal", "visit").get(pk=sale.pk)
    if sale.status != SaleStatus.AWAITING_PAYMENT:
        return sale
    if not paid:
        return _cancel_locked(sale)
    reservation = sale.reservation if sale.reservation_id else None
    sale_lines = list(sale.lines.all())
    # Money was taken: the sale must complete even if its hold expired meanwhile (flagged when short).
    _take_stock(
        sale=sale,
        stock_lines=_stock_lines(sale_lines),
        user=user or sale.cashier,
        allow_negative=True,
        reservation=reservation,
    )
    SalePayment.objects.filter(sale=sale, method=PaymentMethod.QRIS).update(
        status=SalePaymentStatus.PAID, updated_at=timezone.now()
    )
    sale.status = SaleStatus.COMPLETED
    sale.completed_at = timezone.now()
    sale.save(update_fields=["status", "completed_at", "updated_at"])
    _after_completion(sale, print_receipt=True)
    return sale


def _cancel_locked(sale: Sale) -> Sale:
    from catalog.services.stock import stock_release

    if sale.reservation_id:
        stock_release(reservation=sale.reservation)
    SalePayment.objects.filter(sale=sale, status=SalePaymentStatus.PENDING).update(
        status=SalePaymentStatus.FAILED, updated_at=timezone.now()
    )
    sale.status = SaleStatus.CANCELLED
    sale.save(update_fields=["status", "updated_at"])
    return sale


@transaction.atomic
def sale_cancel(*, sale: Sale, reason: str = "") -> Sale:
    """Cancel a sale still waiting for payment and release its stock. A completed sale is refunded instead."""
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    if sale.status == SaleStatus.COMPLETED:
        raise PosError(_("A completed sale cannot be cancelled; refund it."), code=PosErrorCode.INVALID, field="sale")
    if sale.status == SaleStatus.CANCELLED:
        return sale
    return _cancel_locked(sale)


def sale_payment_check(*, sale: Sale, user: User | None = None) -> Sale:
    """Ask Midtrans now for the status of the sale's QRIS payment ("Cek Status") and apply the answer."""
    from commerce.payments.exceptions import PaymentError
    from commerce.payments.services import payment_check_status

    if sale.status != SaleStatus.AWAITING_PAYMENT:
        return sale
    payment = sale_qris_payment(sale)
    if payment is None:
        return sale_cancel(sale=sale, reason="no payment")
    try:
        payment = payment_check_status(payment=payment)
    except PaymentError as exc:
        raise PosError(
            _("The payment status could not be checked (%(error)s). Try again.") % {"error": exc.message},
            code=PosErrorCode.GATEWAY_ERROR,
            field="sale",
        ) from None
    return _apply_payment_status(sale=sale, payment=payment, user=user)


def _apply_payment_status(*, sale: Sale, payment, user=None) -> Sale:
    from commerce.payments.models import PaymentStatus

    if payment.status == PaymentStatus.PAID:
        return sale_payment_settle(sale=sale, paid=True, user=user)
    if payment.status in (PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED):
        return sale_payment_settle(sale=sale, paid=False, user=user)
    sale.refresh_from_db()
    return sale


def sale_payment_cancel(*, sale: Sale, user: User | None = None) -> Sale:
    """Cancel a QRIS payment that was not paid (the customer gave up, or the time ran out)."""
    from commerce.payments.exceptions import PaymentError
    from commerce.payments.services import payment_cancel, payment_check_status

    if sale.status != SaleStatus.AWAITING_PAYMENT:
        return sale
    payment = sale_qris_payment(sale)
    if payment is not None:
        try:
            payment = payment_cancel(payment=payment)
        except PaymentError:
            # It may have been paid just now: trust the gateway's answer, never cancel a paid sale.
            payment = payment_check_status(payment=payment)
            return _apply_payment_status(sale=sale, payment=payment, user=user)
        return _apply_payment_status(sale=sale, payment=payment, user=user)
    return sale_cancel(sale=sale)


def pos_sale_payment_handler(payment, previous_status) -> None:
    """Payment handler for purpose "pos_sale": called in the payment's transaction when its status changes."""
    sale = Sale.objects.filter(client_id=_safe_uuid(payment.reference)).first()
    if sale is None:
        return
    _apply_payment_status(sale=sale, payment=payment)


def _safe_uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def sales_expire_unpaid(*, now=None) -> int:
    """Cancel QRIS sales whose code was not paid in time (asking the gateway first). Return how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(minutes=settings.POS_QRIS_TIMEOUT_MINUTES)
    count = 0
    for sale in Sale.objects.filter(status=SaleStatus.AWAITING_PAYMENT, created_at__lt=limit).order_by("pk")[:100]:
        try:
            result = sale_payment_cancel(sale=sale)
        except PosError:
            continue
        count += result.status == SaleStatus.CANCELLED
    return count
