"""Close a month of consignment settlements into statements, and mark them paid.

A statement freezes what the ledger says the café owes one UMKM for one month (sales minus
commission at the frozen rates) together with the bank account to pay into. Closing is idempotent
and safe to run twice at once: one statement per UMKM and month is a database constraint. A return
booked after the month was closed counts in the month it is booked.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..error_codes import CommerceErrorCode
from ..models import SettlementStatement, SettlementStatus
from ..settlements import month_bounds, settlement_lines_by_vendor


def parse_month(value: str) -> tuple[int, int]:
    """`2026-11` → (2026, 11); a clear error for anything else."""
    try:
        year, month = (int(part) for part in str(value or "").strip().split("-"))
        month_bounds(year, month)
    except (TypeError, ValueError):
        raise DomainError(
            _("Give the month as YYYY-MM, e.g. 2026-11."), code=CommerceErrorCode.INVALID, field="month"
        ) from None
    return year, month


def settlement_month_close(*, year: int, month: int, user=None, vendor_ids=None) -> list[SettlementStatement]:
    """Freeze the statements of a month that has ended, for every UMKM that sold in it (or these).

    Returns the month's statements of those UMKM, the ones closed earlier included.
    """
    from catalog.models import Vendor

    start, end = month_bounds(year, month)
    if end >= timezone.localdate():
        raise DomainError(
            _("%(month)s has not ended yet: it can be closed from the first day of the next month.")
            % {"month": f"{start:%m/%Y}"},
            code=CommerceErrorCode.PERIOD_NOT_ENDED,
            field="month",
        )
    lines_by_vendor = settlement_lines_by_vendor(start=start, end=end, vendor_ids=vendor_ids)
    closed = set(
        SettlementStatement.objects.filter(period_start=start, vendor_id__in=list(lines_by_vendor)).values_list(
            "vendor_id", flat=True
        )
    )
    vendors = Vendor.objects.in_bulk([vid for vid in lines_by_vendor if vid not in closed])
    new = []
    for vendor_id, vendor in sorted(vendors.items()):
        lines = lines_by_vendor[vendor_id]
        gross = sum(line.gross for line in lines)
        commission = sum(line.commission for line in lines)
        new.append(
            SettlementStatement(
                number=f"STL-{start:%Y%m}-{vendor_id:05d}",
                vendor=vendor,
                period_start=start,
                period_end=end,
                gross=gross,
                commission=commission,
                payout=gross - commission,
                lines=[
                    {
                        "product_name": line.product_name,
                        "variant_name": line.variant_name,
                        "unit_price": line.unit_price,
                        "commission_rate_bp": line.commission_rate_bp,
                        "units": line.units,
                        "gross": line.gross,
                        "commission": line.commission,
                        "payout": line.payout,
                    }
                    for line in lines
                ],
                bank_name=vendor.bank_name,
                bank_account_number=vendor.bank_account_number,
                bank_account_name=vendor.bank_account_name,
                closed_by=user if user is not None and user.is_authenticated else None,
            )
        )
    # Two closings at once: the unique (UMKM, month) keeps the first, the other's rows are skipped.
    SettlementStatement.objects.bulk_create(new, ignore_conflicts=True)
    return list(
        SettlementStatement.objects.filter(period_start=start, vendor_id__in=list(lines_by_vendor)).select_related(
            "vendor"
        )
    )


def settlements_close_previous_month(*, today: datetime.date | None = None) -> int:
    """Close last month once `SETTLEMENT_CLOSE_AFTER_DAYS` days of this month have passed (0: only by hand)."""
    days = settings.SETTLEMENT_CLOSE_AFTER_DAYS
    today = today or timezone.localdate()
    if days <= 0 or today.day < days:
        return 0
    last = today.replace(day=1) - datetime.timedelta(days=1)
    before = SettlementStatement.objects.filter(period_start=last.replace(day=1)).count()
    return len(settlement_month_close(year=last.year, month=last.month)) - before


@transaction.atomic
def settlement_mark_paid(*, statement: SettlementStatement, transfer_reference: str, user) -> SettlementStatement:
    """Record the bank transfer that paid the statement (once)."""
    statement = SettlementStatement.objects.select_for_update().select_related("vendor").get(pk=statement.pk)
    if statement.status == SettlementStatus.PAID:
        raise DomainError(
            _("This settlement was already paid (%(reference)s).") % {"reference": statement.transfer_reference},
            code=CommerceErrorCode.ALREADY_PAID,
            field="id",
        )
    reference = (transfer_reference or "").strip()
    if not reference:
        raise DomainError(
            _("Enter the bank transfer reference."), code=CommerceErrorCode.REQUIRED, field="transfer_reference"
        )
    if statement.payout <= 0:
        raise DomainError(_("Nothing is owed on this settlement."), code=CommerceErrorCode.INVALID_AMOUNT, field="id")
    statement.status = SettlementStatus.PAID
    statement.paid_at = timezone.now()
    statement.paid_by = user
    statement.transfer_reference = reference[:64]
    statement.save(update_fields=["status", "paid_at", "paid_by", "transfer_reference", "updated_at"])
    return statement
