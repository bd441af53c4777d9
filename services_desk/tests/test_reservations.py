"""Products reserved from the kiosk for the visit, through the catalogue's stock reservation."""

import pytest
from graphql_relay import to_global_id

from core.exceptions import DomainError
from services_desk.services.reservations import ReserveLine, visit_reserve_products

RESERVE = """mutation($c: String!, $lines: [ReserveLineInput!]!) { visitReserveProducts(visitCode: $c, lines: $lines) {
  visit { code } reservation { reference lines { variantId quantity } } errors { code field message } } }"""


@pytest.mark.django_db
def test_reserved_products_are_held_by_the_visit(issue, ktp, shelf, outlet):
    from catalog.selectors import reservations_active_for_visit, stock_available

    keripik, sambal = shelf
    ticket = issue(ktp)
    visit_reserve_products(visit=ticket.visit, lines=[ReserveLine(keripik.pk, 2), ReserveLine(sambal.pk, 1)])
    held = {
        line.variant_id: line.quantity for r in reservations_active_for_visit(ticket.visit) for line in r.lines.all()
    }
    assert held == {keripik.pk: 2, sambal.pk: 1}
    assert stock_available(outlet=outlet, variant_ids=[keripik.pk, sambal.pk]) == {keripik.pk: 3, sambal.pk: 2}


@pytest.mark.django_db
def test_reserving_more_than_the_shelf_changes_nothing(issue, ktp, shelf, outlet):
    from catalog.models import Reservation
    from catalog.selectors import stock_available

    keripik, sambal = shelf
    ticket = issue(ktp)
    with pytest.raises(DomainError) as exc:
        visit_reserve_products(visit=ticket.visit, lines=[ReserveLine(keripik.pk, 1), ReserveLine(sambal.pk, 4)])
    assert exc.value.code == "insufficient_stock" and "Sambal" in exc.value.message
    for lines in ([ReserveLine(keripik.pk, 0)], [ReserveLine(keripik.pk, 99)], []):
        with pytest.raises(DomainError):
            visit_reserve_products(visit=ticket.visit, lines=lines)
    assert not Reservation.objects.exists()
    assert stock_available(outlet=outlet, variant_ids=[sambal.pk]) == {sambal.pk: 3}


@pytest.mark.django_db
def test_visit_reserve_products_through_the_api_and_visit_items(
    gql, issue, ktp, shelf, officer, outlet, django_assert_max_num_queries
):
    keripik, sambal = shelf
    ticket = issue(ktp)
    lines = [
        {"variant": to_global_id("ProductVariant", keripik.pk), "quantity": 2},
        {"variant": str(sambal.pk), "quantity": 1},
    ]
    data = gql(RESERVE, {"c": ticket.visit.qr_payload, "lines": lines}, user=officer)["data"]["visitReserveProducts"]
    assert data["errors"] == [] and data["visit"]["code"] == ticket.visit.code
    assert sorted((x["variantId"], x["quantity"]) for x in data["reservation"]["lines"]) == sorted(
        [(keripik.pk, 2), (sambal.pk, 1)]
    )
    query = """query($c: String!) { visitOpenItems(code: $c) { tickets { number } reservations { lines { name quantity } } } }"""
    with django_assert_max_num_queries(12):
        items = gql(query, {"c": ticket.visit.code}, user=officer)["data"]["visitOpenItems"]
    assert sorted(x["quantity"] for r in items["reservations"] for x in r["lines"]) == [1, 2]
    assert any("Keripik Tempe" in x["name"] for r in items["reservations"] for x in r["lines"])
