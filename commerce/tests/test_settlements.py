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
