"""Consignment settlements: sales − commission per UMKM and month, from the ledger's frozen prices and rates."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commerce.settlements import settlement_for_vendor

from .conftest import notify


@pytest.mark.django_db
def test_settlement_is_sales_minus_commission_at_the_frozen_rate(placed_order, vendor, midtrans_server, manager):
    from catalog.services.stock import StockLine, stock_return_sale

    notify(midtrans_server, placed_order, "settlement")  # 2 × 15.000 + 1 × 12.000 at 15 %
    vendor.commission_rate_bp = 3000  # a later change of rate does not touch past sales
    vendor.save()
    keripik_line = placed_order.lines.get(product_name="Keripik Tempe")
    stock_return_sale(
        outlet=placed_order.outlet,
        lines=[StockLine(variant_id=keripik_line.variant_id, quantity=1, unit_price=15000, commission_rate_bp=1500)],
        reference="RET-1",
        user=manager,
    )
    today = timezone.localdate()
    statement = settlement_for_vendor(vendor=vendor, start=today.replace(day=1), end=today)
    assert [(line.product_name, line.units, line.gross, line.commission, line.payout) for line in statement.lines] == [
        ("Alen-alen", 1, 12000, 1800, 10200),
        ("Keripik Tempe", 1, 15000, 2250, 12750),
    ]
    assert (statement.gross, statement.commission, statement.payout) == (27000, 4050, 22950)
    tomorrow = today + datetime.timedelta(days=1)
    assert settlement_for_vendor(vendor=vendor, start=tomorrow, end=tomorrow).lines == []


@pytest.mark.django_db
def test_owner_sees_only_own_settlement(
    client, placed_order, vendor, other_vendor, owner, other_owner, customer_user, admin_user, midtrans_server
):
    notify(midtrans_server, placed_order, "settlement")
    url = reverse("commerce:settlements")
    client.force_login(owner)
    body = client.get(url).content.decode()
    assert vendor.name in body and "Rp42.000" in body and "Rp35.700" in body
    assert "Sementara" in body  # the running month is not closed
    # Asking for another business's statement shows one's own.
    assert other_vendor.name not in client.get(url, {"umkm": other_vendor.pk}).content.decode()
    client.force_login(other_owner)
    body = client.get(url).content.decode()
    assert other_vendor.name in body and "Rp42.000" not in body
    client.force_login(customer_user)
    assert client.get(url).status_code == 404
    client.force_login(admin_user)
    assert "Rp42.000" in client.get(url, {"umkm": vendor.pk, "bulan": "bad"}).content.decode()
    client.logout()
    assert client.get(url).status_code == 302


def _into_last_month():
    """Date the ledger's movements so far in the middle of last month (WIB)."""
    from catalog.models import StockMovement

    first = timezone.localdate().replace(day=1)
    last_month = first - datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(last_month.replace(day=15), datetime.time(10)))
    StockMovement.objects.update(created_at=moment)
    return last_month.year, last_month.month


@pytest.mark.django_db
def test_closing_a_month_freezes_each_umkms_statement(placed_order, vendor, midtrans_server, admin_user, manager):
    from catalog.services.stock import StockLine, stock_return_sale
    from commerce.models import SettlementStatement
    from commerce.services.settlements import settlement_month_close
    from core.exceptions import DomainError

    notify(midtrans_server, placed_order, "settlement")  # 2 × 15.000 + 1 × 12.000 at 15 %
    year, month = _into_last_month()
    (statement,) = settlement_month_close(year=year, month=month, user=admin_user)
    assert statement.number == f"STL-{year}{month:02d}-{vendor.pk:05d}" and statement.status == "closed"
    assert (statement.gross, statement.commission, statement.payout) == (42000, 6300, 35700)
    assert [(line["product_name"], line["units"], line["payout"]) for line in statement.lines] == [
        ("Alen-alen", 1, 10200),
        ("Keripik Tempe", 2, 25500),
    ]
    assert (statement.bank_account_number, statement.closed_by) == (vendor.bank_account_number, admin_user)
    # Later events do not change a closed month: a return booked today, a new bank account.
    keripik = placed_order.lines.get(product_name="Keripik Tempe")
    stock_return_sale(
        outlet=placed_order.outlet,
        lines=[StockLine(variant_id=keripik.variant_id, quantity=1, unit_price=15000, commission_rate_bp=1500)],
        reference="RET-LATE",
        user=manager,
    )
    vendor.bank_account_number = "9999999999"
    vendor.save()
    (again,) = settlement_month_close(year=year, month=month, user=admin_user)
    assert again.pk == statement.pk and SettlementStatement.objects.count() == 1
    again.refresh_from_db()
    assert (again.payout, again.bank_account_number) == (35700, statement.bank_account_number)
    # The running month cannot be closed.
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        settlement_month_close(year=today.year, month=today.month, user=admin_user)
    assert exc.value.code == "period_not_ended"


@pytest.mark.django_db
def test_a_statement_is_paid_once_with_its_transfer_reference(placed_order, midtrans_server, admin_user):
    from commerce.services.settlements import settlement_mark_paid, settlement_month_close
    from core.exceptions import DomainError

    notify(midtrans_server, placed_order, "settlement")
    (statement,) = settlement_month_close(year=_into_last_month()[0], month=_into_last_month()[1], user=admin_user)
    with pytest.raises(DomainError) as exc:
        settlement_mark_paid(statement=statement, transfer_reference="  ", user=admin_user)
    assert exc.value.code == "required"
    paid = settlement_mark_paid(statement=statement, transfer_reference="BJTM-20261202-001", user=admin_user)
    assert paid.status == "paid" and paid.paid_at and paid.paid_by == admin_user
    with pytest.raises(DomainError) as exc:
        settlement_mark_paid(statement=statement, transfer_reference="again", user=admin_user)
    assert exc.value.code == "already_paid"
    statement.refresh_from_db()
    assert statement.transfer_reference == "BJTM-20261202-001"


@pytest.mark.django_db
def test_last_month_closes_by_itself_on_the_configured_day(placed_order, midtrans_server, settings):
    from commerce.models import SettlementStatement
    from commerce.services.settlements import settlements_close_previous_month

    notify(midtrans_server, placed_order, "settlement")
    _into_last_month()
    first = timezone.localdate().replace(day=1)
    settings.SETTLEMENT_CLOSE_AFTER_DAYS = 0
    assert settlements_close_previous_month(today=first) == 0
    settings.SETTLEMENT_CLOSE_AFTER_DAYS = 2
    assert settlements_close_previous_month(today=first) == 0  # not yet: the 2nd
    assert settlements_close_previous_month(today=first + datetime.timedelta(days=1)) == 1
    assert settlements_close_previous_month(today=first + datetime.timedelta(days=2)) == 0  # already closed
    assert SettlementStatement.objects.count() == 1


@pytest.mark.django_db
def test_payout_page_close_download_and_mark_paid(
    client, placed_order, vendor, owner, manager, admin_user, midtrans_server
):
    from commerce.models import SettlementStatement

    notify(midtrans_server, placed_order, "settlement")
    year, month = _into_last_month()
    url = reverse("commerce:settlement-month") + f"?bulan={year}-{month:02d}"
    for user in (owner, manager):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "close"}).status_code == 403
    assert not SettlementStatement.objects.exists()
    client.force_login(admin_user)
    assert "Rp35.700" not in client.get(url).content.decode()
    client.post(url, {"action": "close"})
    statement = SettlementStatement.objects.get()
    body = client.get(url).content.decode()
    assert statement.number in body and "Rp35.700" in body
    csv_body = client.get(url + "&format=csv").content.decode()
    assert statement.number in csv_body and vendor.bank_account_number in csv_body and ",35700,closed," in csv_body
    client.post(url, {"action": "paid", "statement": statement.pk, "reference": ""})
    statement.refresh_from_db()
    assert statement.status == "closed"
    client.post(url, {"action": "paid", "statement": statement.pk, "reference": "BJTM-001"})
    statement.refresh_from_db()
    assert statement.status == "paid" and statement.transfer_reference == "BJTM-001"
    # The owner sees the frozen statement, paid, with the reference.
    client.force_login(owner)
    body = client.get(reverse("commerce:settlements"), {"bulan": f"{year}-{month:02d}"}).content.decode()
    assert "BJTM-001" in body and "Rp35.700" in body and "Lunas" in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_closings_at_once_make_one_statement_per_umkm(placed_order, midtrans_server, admin_user):
    import threading

    from django.db import connection

    from commerce.models import SettlementStatement
    from commerce.services.settlements import settlement_month_close

    notify(midtrans_server, placed_order, "settlement")
    year, month = _into_last_month()
    barrier, results, errors = threading.Barrier(3), [], []

    def close():
        try:
            barrier.wait(timeout=10)
            results.append([s.pk for s in settlement_month_close(year=year, month=month, user=admin_user)])
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=close) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == [] and len(results) == 3
    assert SettlementStatement.objects.count() == 1
    assert all(pks == [SettlementStatement.objects.get().pk] for pks in results)


STATEMENTS = """query($m: String) { settlementStatements(month: $m, first: 10) { totalCount edges { node {
  id number vendorName status payout { amount } bankAccountNumber transferReference lines { productName units payout { amount } }
} } } }"""
PREVIEW = """query($v: ID!, $m: String!) { settlementPreview(vendor: $v, month: $m) {
  vendorName payout { amount } lines { productName units } statement { number status } } }"""
CLOSE = """mutation($m: String!) { settlementMonthClose(month: $m) { statements { number } errors { field code } } }"""
PAY = """mutation($id: ID!, $r: String!) { settlementMarkPaid(id: $id, transferReference: $r) {
  statement { status transferReference } errors { field code } } }"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,allowed",
    [("anonymous", False), ("owner", False), ("manager", False), ("cashier", False), ("admin_user", True)],
)
def test_settlement_mutations_permission_matrix(request, gql, placed_order, midtrans_server, who, allowed):
    from commerce.models import SettlementStatement

    notify(midtrans_server, placed_order, "settlement")
    year, month = _into_last_month()
    user = None if who == "anonymous" else request.getfixturevalue(who)
    closed = gql(CLOSE, {"m": f"{year}-{month:02d}"}, user=user)["data"]["settlementMonthClose"]
    assert (closed["errors"] == []) is allowed and SettlementStatement.objects.exists() is allowed
    if not allowed:
        assert closed["errors"][0]["code"] == "PERMISSION_DENIED"
        return
    statement = SettlementStatement.objects.get()
    from graphql_relay import to_global_id

    paid = gql(PAY, {"id": to_global_id("SettlementStatement", statement.pk), "r": "BJTM-7"}, user=user)
    assert paid["data"]["settlementMarkPaid"]["statement"] == {"status": "PAID", "transferReference": "BJTM-7"}
    again = gql(PAY, {"id": to_global_id("SettlementStatement", statement.pk), "r": "BJTM-8"}, user=user)
    assert again["data"]["settlementMarkPaid"]["errors"][0]["code"] == "ALREADY_PAID"
    bad = gql(CLOSE, {"m": "2026-13"}, user=user)["data"]["settlementMonthClose"]
    assert bad["errors"][0] == {"field": "month", "code": "INVALID"}


@pytest.mark.django_db
def test_owners_read_only_their_statements_and_previews(
    gql, placed_order, vendor, other_vendor, owner, other_owner, admin_user, midtrans_server
):
    from graphql_relay import to_global_id

    notify(midtrans_server, placed_order, "settlement")
    year, month = _into_last_month()
    label = f"{year}-{month:02d}"
    preview = gql(PREVIEW, {"v": to_global_id("Vendor", vendor.pk), "m": label}, user=owner)["data"]
    assert preview["settlementPreview"]["payout"]["amount"] == 35700
    assert preview["settlementPreview"]["statement"] is None
    gql(CLOSE, {"m": label}, user=admin_user)
    mine = gql(STATEMENTS, {"m": label}, user=owner)["data"]["settlementStatements"]
    node = mine["edges"][0]["node"]
    assert mine["totalCount"] == 1 and node["status"] == "CLOSED" and node["payout"]["amount"] == 35700
    assert [(line["productName"], line["units"]) for line in node["lines"]] == [("Alen-alen", 1), ("Keripik Tempe", 2)]
    assert gql(STATEMENTS, {"m": label}, user=other_owner)["data"]["settlementStatements"]["totalCount"] == 0
    other = gql(PREVIEW, {"v": to_global_id("Vendor", vendor.pk), "m": label}, user=other_owner)
    assert other["data"]["settlementPreview"] is None and other["errors"]
    assert gql(STATEMENTS, {"m": label}, user=admin_user)["data"]["settlementStatements"]["totalCount"] == 1
    closed = gql(PREVIEW, {"v": to_global_id("Vendor", vendor.pk), "m": label}, user=owner)["data"]
    assert closed["settlementPreview"]["statement"]["status"] == "CLOSED"
    assert gql(STATEMENTS, {"m": label})["errors"]  # anonymous


@pytest.mark.django_db
def test_transfer_list_csv_keeps_user_text_from_running_as_a_formula(
    client, placed_order, vendor, admin_user, midtrans_server
):
    import csv
    import io

    from commerce.services.settlements import settlement_month_close

    notify(midtrans_server, placed_order, "settlement")
    year, month = _into_last_month()
    settlement_month_close(year=year, month=month, user=admin_user)
    type(vendor).objects.filter(pk=vendor.pk).update(name='=HYPERLINK("http://evil.example","Klik")')
    from commerce.models import SettlementStatement

    SettlementStatement.objects.update(bank_account_name="@SUM(A1:A9)")
    client.force_login(admin_user)
    response = client.get(reverse("commerce:settlement-month"), {"bulan": f"{year}-{month:02d}", "format": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Klik")' and rows[1][4] == "'@SUM(A1:A9)"
    assert rows[1][5] == "35700"  # amounts stay numbers
