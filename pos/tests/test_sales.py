"""sale_complete: stock through the ledger, frozen commission, idempotency, discounts, offline and late sales."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Visit
from core.exceptions import DomainError
from pos.models import Sale, SaleLine, SaleStatus
from pos.services.sales import PaymentInput, SaleLineInput, sale_complete
from pos.services.shifts import shift_close

from .conftest import stock_of


@pytest.mark.django_db
def test_cash_sale_takes_stock_freezes_commission_and_gives_change(sell, variant, outlet, vendor):
    from catalog.models import StockMovement

    vendor.commission_rate_bp = 1200
    type(vendor).objects.filter(pk=vendor.pk).update(commission_rate_bp=1200)
    sale = sell((variant, 3), tendered=50000)
    assert sale.status == SaleStatus.COMPLETED
    assert (sale.total, sale.cash_amount, sale.tendered, sale.change) == (45000, 45000, 50000, 5000)
    line = sale.lines.get()
    assert (line.quantity, line.unit_price, line.commission_rate_bp, line.vendor_name) == (3, 15000, 1200, vendor.name)
    assert stock_of(outlet, variant) == 7
    movement = StockMovement.objects.get(reference=sale.number, kind="sale")
    assert (movement.quantity, movement.unit_price, movement.commission_rate_bp) == (-3, 15000, 1200)
    assert sale.number == "GLR-K1-000001"
    # Changing the UMKM's rate later does not touch the sale.
    type(vendor).objects.filter(pk=vendor.pk).update(commission_rate_bp=2000)
    line.refresh_from_db()
    assert line.commission_rate_bp == 1200


@pytest.mark.django_db
def test_scanned_barcode_sku_and_internal_code_find_the_variant(shift, cashier, variant):
    codes = [c for c in (variant.barcode, variant.sku, variant.internal_code) if c]
    assert codes
    for code in codes:
        sale = sale_complete(
            shift=shift,
            lines=[SaleLineInput(code=code, quantity=1)],
            payments=[PaymentInput(method="cash", amount=15000)],
            client_id=uuid.uuid4(),
            user=cashier,
        )
        assert sale.lines.get().variant_id == variant.pk
    with pytest.raises(DomainError) as exc:
        sale_complete(
            shift=shift,
            lines=[SaleLineInput(code="NOPE-404", quantity=1)],
            payments=[PaymentInput(method="cash", amount=15000)],
            client_id=uuid.uuid4(),
            user=cashier,
        )
    assert exc.value.code == "product_not_found"


@pytest.mark.django_db
def test_same_client_id_records_one_sale_and_one_movement(sell, variant, outlet):
    from catalog.models import StockMovement

    client_id = uuid.uuid4()
    sales = [sell((variant, 2), client_id=client_id) for _ in range(5)]
    assert {s.pk for s in sales} == {sales[0].pk}
    assert Sale.objects.count() == 1
    assert StockMovement.objects.filter(kind="sale").count() == 1
    assert stock_of(outlet, variant) == 8


@pytest.mark.django_db
def test_not_enough_stock_is_refused_and_changes_nothing(sell, make_variant, outlet):
    from catalog.models import StockMovement

    scarce = make_variant(stock=1)
    with pytest.raises(DomainError) as exc:
        sell((scarce, 2))
    assert exc.value.code == "insufficient_stock" and exc.value.field == "lines"
    assert scarce.product.name in exc.value.message
    assert not Sale.objects.exists() and not StockMovement.objects.filter(kind="sale").exists()
    assert stock_of(outlet, scarce) == 1


@pytest.mark.django_db
def test_manager_allowed_negative_stock_flags_the_sale(sell, make_variant, terminal, outlet):
    from catalog.models import StockMovement
    from pos.services.terminals import terminal_update

    scarce = make_variant(stock=1)
    terminal_update(terminal=terminal, allow_negative_stock=True)
    sale = sell((scarce, 3))
    assert sale.oversold and sale.lines.get().oversold
    assert StockMovement.objects.get(reference=sale.number).oversold
    assert stock_of(outlet, scarce) == -2


@pytest.mark.django_db
def test_discount_needs_permission_and_reason(sell, shift, variant, manager, cashier):
    with pytest.raises(DomainError) as exc:
        sell((variant, 1), discounts={variant.pk: 2000})
    assert exc.value.code == "discount_not_allowed"
    with pytest.raises(DomainError) as no_reason:
        sale_complete(
            shift=shift,
            lines=[SaleLineInput(variant_id=variant.pk, quantity=1, discount=2000)],
            payments=[PaymentInput(method="cash", amount=13000)],
            client_id=uuid.uuid4(),
            user=manager,
        )
    assert no_reason.value.code == "discount_reason_required"
    with pytest.raises(DomainError):
        sell((variant, 1), discounts={variant.pk: 16000}, user=manager)
    assert not Sale.objects.exists()
    sale = sell((variant, 2), discounts={variant.pk: 3000}, user=manager)
    assert (sale.subtotal, sale.discount_total, sale.total) == (30000, 3000, 27000)
    assert sale.lines.get().discount_reason == "kemasan penyok"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payments", "code"),
    [
        ([PaymentInput(method="cash", amount=10000)], "payment_mismatch"),
        ([PaymentInput(method="cash", amount=15000, tendered=10000)], "insufficient_tender"),
        ([PaymentInput(method="card", amount=15000)], "invalid"),
        ([PaymentInput(method="cash", amount=0)], "invalid_amount"),
        ([PaymentInput(method="cash", amount=5000), PaymentInput(method="cash", amount=10000)], "invalid"),
    ],
)
def test_bad_payments_are_refused(shift, cashier, variant, outlet, payments, code):
    with pytest.raises(DomainError) as exc:
        sale_complete(
            shift=shift,
            lines=[SaleLineInput(variant_id=variant.pk, quantity=1)],
            payments=payments,
            client_id=uuid.uuid4(),
            user=cashier,
        )
    assert exc.value.code == code
    assert not Sale.objects.exists() and stock_of(outlet, variant) == 10


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", [0, -1, "dua", 2.5])
def test_bad_quantities_are_refused(shift, cashier, variant, quantity):
    with pytest.raises(DomainError):
        sale_complete(
            shift=shift,
            lines=[SaleLineInput(variant_id=variant.pk, quantity=quantity)],
            payments=[PaymentInput(method="cash", amount=15000)],
            client_id=uuid.uuid4(),
            user=cashier,
        )
    assert not Sale.objects.exists()


@pytest.mark.django_db
def test_empty_cart_and_bad_client_id_are_refused(shift, cashier):
    with pytest.raises(DomainError) as empty:
        sale_complete(shift=shift, lines=[], payments=[], client_id=uuid.uuid4(), user=cashier)
    assert empty.value.code == "empty_sale"
    with pytest.raises(DomainError):
        sale_complete(shift=shift, lines=[], payments=[], client_id="not-a-uuid", user=cashier)


@pytest.mark.django_db
def test_visit_by_code_is_counted_as_purchase_and_its_reservation_consumed(shift, cashier, variant, outlet):
    import datetime

    from django.utils import timezone

    from accounts.services.visits import visit_open
    from catalog.selectors import stock_available
    from catalog.services.stock import StockLine, stock_reserve

    visit = visit_open(outlet=outlet, channel="kiosk")
    reservation = stock_reserve(
        outlet=outlet,
        lines=[StockLine(variant_id=variant.pk, quantity=2)],
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        reference=f"kiosk:{visit.code}",
        visit=visit,
    )
    assert stock_available(outlet=outlet, variant_ids=[variant.pk])[variant.pk] == 8
    sale = sale_complete(
        shift=shift,
        lines=[SaleLineInput(variant_id=variant.pk, quantity=2)],
        payments=[PaymentInput(method="cash", amount=30000)],
        client_id=uuid.uuid4(),
        user=cashier,
        visit_code=visit.qr_payload,
    )
    assert sale.visit_id == visit.pk
    assert Visit.objects.get(pk=visit.pk).first_purchase_at is not None
    reservation.refresh_from_db()
    assert reservation.status == "consumed"
    # The reserved units are not counted twice: 10 − 2 sold = 8 available.
    assert stock_available(outlet=outlet, variant_ids=[variant.pk])[variant.pk] == 8
    with pytest.raises(DomainError) as exc:
        sale_complete(
            shift=shift,
            lines=[SaleLineInput(variant_id=variant.pk, quantity=1)],
            payments=[PaymentInput(method="cash", amount=15000)],
            client_id=uuid.uuid4(),
            user=cashier,
            visit_code="QQQQQ",
        )
    assert exc.value.code == "visit_not_found"


@pytest.mark.django_db
def test_closed_shift_refuses_live_sales_but_accepts_offline_ones_as_late(sell, shift, cashier, make_variant, outlet):
    scarce = make_variant(stock=1)
    shift_close(shift=shift, user=cashier, counted_cash=200000)
    shift.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        sell((scarce, 1), on_shift=shift)
    assert exc.value.code == "shift_closed"
    # An offline register sold two while the stock said one: recorded, flagged, never dropped.
    late = sell((scarce, 2), on_shift=shift, offline=True)
    assert late.shift_id == shift.pk and late.late_sync and late.offline and late.oversold
    assert stock_of(outlet, scarce) == -1


@pytest.mark.django_db
def test_sale_of_another_cafe_cashier_is_refused(sell, variant, other_outlet, make_user):
    elsewhere = make_user("kasir_durenan", "cashier", [other_outlet])
    with pytest.raises(DomainError) as exc:
        sell((variant, 1), user=elsewhere)
    assert exc.value.code == "outlet_not_allowed"
    assert not Sale.objects.exists()


@pytest.mark.django_db
def test_a_client_id_used_on_another_shift_is_refused(sell, variant, outlet, manager):
    from pos.services.shifts import shift_open
    from pos.services.terminals import terminal_create

    client_id = uuid.uuid4()
    first = sell((variant, 1), client_id=client_id)
    other = shift_open(
        terminal=terminal_create(outlet=outlet, name="Kasir 2", code="K2", printer_url="dummy:"),
        cashier=manager,
        opening_cash=0,
    )
    with pytest.raises(DomainError) as exc:
        sell((variant, 1), client_id=client_id, on_shift=other, user=manager)
    assert exc.value.code == "duplicate_client_id" and exc.value.field == "client_id"
    assert list(Sale.objects.all()) == [first]


@pytest.mark.django_db
def test_query_count_does_not_grow_with_lines(shift, cashier, make_variant, django_capture_on_commit_callbacks):
    variants = [make_variant(name=f"Produk {i}", price=1000 + i, stock=50) for i in range(20)]

    def ring(n):
        lines = [SaleLineInput(variant_id=v.pk, quantity=1) for v in variants[:n]]
        total = sum(v.price for v in variants[:n])
        with CaptureQueriesContext(connection) as ctx:
            sale_complete(
                shift=shift,
                lines=lines,
                payments=[PaymentInput(method="cash", amount=total)],
                client_id=uuid.uuid4(),
                user=cashier,
            )
        return len(ctx.captured_queries)

    one, twenty = ring(1), ring(20)
    assert one == twenty, (one, twenty)
    assert twenty <= 30
    assert SaleLine.objects.count() == 21
