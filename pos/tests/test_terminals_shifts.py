"""Terminals, shifts, cash movements, X/Z reports and the cash count at close."""

import pytest
from django.db import IntegrityError, transaction

from core.exceptions import DomainError
from core.models import PrintJob
from pos.models import CashMovement, Shift, ShiftReport, ShiftStatus, Terminal
from pos.selectors import shift_cash_summary, shift_opening_cash_suggestion
from pos.services.shifts import cash_movement_create, denominations_total, shift_close, shift_open, shift_report_x
from pos.services.terminals import terminal_create, terminal_update


@pytest.mark.django_db
def test_terminal_needs_a_supported_printer_and_paper_width(outlet):
    with pytest.raises(DomainError) as bad_url:
        terminal_create(outlet=outlet, name="Kasir 1", code="K1", printer_url="lpt1")
    assert bad_url.value.code == "invalid_printer"
    with pytest.raises(DomainError) as bad_width:
        terminal_create(outlet=outlet, name="Kasir 1", code="K1", printer_url="tcp://10.0.0.5:9100", paper_width=70)
    assert bad_width.value.field == "paper_width"
    assert not Terminal.objects.exists()

    terminal = terminal_create(
        outlet=outlet, name="Kasir 1", code="k1", printer_url="tcp://10.0.0.5:9100", paper_width=58
    )
    assert terminal.code == "K1" and terminal.line_chars == 32

    with pytest.raises(DomainError):
        terminal_create(outlet=outlet, name="Kasir 2", code="K1")
    assert Terminal.objects.count() == 1


@pytest.mark.django_db
def test_terminal_update_keeps_unchanged_fields_and_falls_back_to_default_printer(terminal, settings):
    settings.DEFAULT_PRINTER_URL = "file:/tmp/gemilang-test.out"
    terminal_update(terminal=terminal, printer_url="")
    terminal.refresh_from_db()
    assert terminal.effective_printer_url == "file:/tmp/gemilang-test.out"
    assert terminal.name == "Kasir 1" and terminal.paper_width == 80
    with pytest.raises(DomainError):
        terminal_update(terminal=terminal, printer_url="http://printer")
    terminal.refresh_from_db()
    assert terminal.printer_url == ""


@pytest.mark.django_db
def test_only_one_open_shift_per_terminal(terminal, cashier, manager):
    shift_open(terminal=terminal, cashier=cashier, opening_cash=100000)
    with pytest.raises(DomainError) as exc:
        shift_open(terminal=terminal, cashier=manager, opening_cash=0)
    assert exc.value.code == "shift_already_open"
    # The database guards it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.create(terminal=terminal, cashier=manager, opened_at=terminal.created_at, opening_cash=0)
    assert Shift.objects.filter(terminal=terminal, status=ShiftStatus.OPEN).count() == 1


@pytest.mark.django_db
def test_only_staff_of_the_cafe_open_a_shift(terminal, other_outlet, make_user):
    elsewhere = make_user("kasir_durenan", "cashier", [other_outlet])
    with pytest.raises(DomainError) as exc:
        shift_open(terminal=terminal, cashier=elsewhere, opening_cash=50000)
    assert exc.value.code == "outlet_not_allowed"
    assert not Shift.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [-1, "abc", 1.5, None])
def test_opening_float_must_be_whole_rupiah(terminal, cashier, amount):
    with pytest.raises(DomainError) as exc:
        shift_open(terminal=terminal, cashier=cashier, opening_cash=amount)
    assert exc.value.code == "invalid_amount"
    assert not Shift.objects.exists()


@pytest.mark.django_db
def test_opening_float_is_suggested_from_the_last_counted_close(terminal, cashier):
    assert shift_opening_cash_suggestion(terminal=terminal) == 0
    first = shift_open(terminal=terminal, cashier=cashier, opening_cash=150000)
    shift_close(shift=first, user=cashier, counted_cash=150000)
    assert shift_opening_cash_suggestion(terminal=terminal) == 150000


@pytest.mark.django_db
def test_cash_movements_need_reason_and_positive_amount(shift, cashier):
    for kwargs in ({"amount": 0, "reason": "x"}, {"amount": 5000, "reason": "  "}, {"amount": -5, "reason": "x"}):
        with pytest.raises(DomainError):
            cash_movement_create(shift=shift, kind="in", user=cashier, **kwargs)
    with pytest.raises(DomainError):
        cash_movement_create(shift=shift, kind="sideways", amount=1000, reason="x", user=cashier)
    with pytest.raises(DomainError) as exc:
        cash_movement_create(shift=shift, kind="out", amount=200001, reason="setor bank", user=cashier)
    assert exc.value.code == "not_enough_cash"
    assert not CashMovement.objects.exists()

    cash_movement_create(shift=shift, kind="in", amount=50000, reason="tambah uang kembalian", user=cashier)
    cash_movement_create(shift=shift, kind="out", amount=20000, reason="beli plastik", user=cashier)
    assert shift_cash_summary(shift=shift)["expected_cash"] == 200000 + 50000 - 20000


@pytest.mark.django_db
def test_denominations_add_up_and_reject_unknown_notes():
    assert denominations_total({"100000": 2, "50000": 1, "500": 3}) == 251500
    with pytest.raises(DomainError):
        denominations_total({"75000": 1})
    with pytest.raises(DomainError):
        denominations_total({"1000": -1})


@pytest.mark.django_db
def test_close_with_counted_denominations_stores_and_prints_z_report(
    shift, cashier, django_capture_on_commit_callbacks
):
    cash_movement_create(shift=shift, kind="in", amount=10000, reason="modal", user=cashier)
    with django_capture_on_commit_callbacks(execute=True):
        report = shift_close(shift=shift, user=cashier, denominations={"100000": 2, "10000": 1})
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CLOSED
    assert (shift.expected_cash, shift.counted_cash, shift.difference) == (210000, 210000, 0)
    assert report.kind == "z" and report.data["counted_cash"] == 210000
    job = PrintJob.objects.get(pk=report.print_job_id)
    assert job.status == "printed"
    assert b"Z" in bytes(job.data) and b"Rp210.000" in bytes(job.data)
    with pytest.raises(DomainError) as again:
        shift_close(shift=shift, user=cashier, counted_cash=0)
    assert again.value.code == "shift_closed"
    assert ShiftReport.objects.filter(kind="z").count() == 1


@pytest.mark.django_db
def test_difference_above_threshold_needs_explanation(shift, cashier, settings):
    settings.POS_CASH_DIFFERENCE_THRESHOLD = 10000
    with pytest.raises(DomainError) as exc:
        shift_close(shift=shift, user=cashier, counted_cash=185000)
    assert exc.value.code == "explanation_required"
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.OPEN and not ShiftReport.objects.exists()
    # Within the threshold no note is needed; beyond it a note is kept on the shift.
    report = shift_close(shift=shift, user=cashier, counted_cash=185000, note="uang kembalian salah hitung")
    assert report.data["difference"] == -15000
    shift.refresh_from_db()
    assert shift.difference_note == "uang kembalian salah hitung"


@pytest.mark.django_db
def test_counted_cash_and_denominations_must_agree(shift, cashier):
    with pytest.raises(DomainError):
        shift_close(shift=shift, user=cashier, counted_cash=100000, denominations={"100000": 2})
    with pytest.raises(DomainError):
        shift_close(shift=shift, user=cashier)
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.OPEN


@pytest.mark.django_db
def test_x_report_keeps_shift_open(shift, cashier):
    report = shift_report_x(shift=shift, user=cashier)
    shift.refresh_from_db()
    assert report.kind == "x" and shift.status == ShiftStatus.OPEN
    assert report.data["expected_cash"] == 200000 and report.print_job_id
