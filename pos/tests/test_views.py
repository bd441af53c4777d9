"""HTML screens and JSON endpoints of the register: permission matrices, the sync endpoint, forms."""

import json
import uuid

import pytest
from django.urls import reverse

from pos.models import CashMovement, Refund, Sale, Shift, ShiftStatus, Terminal

ROLES = ["anonymous", "customer_user", "officer", "curator", "owner", "other_owner", "cashier", "manager", "admin_user"]
SELLERS = {"cashier", "manager", "admin_user"}
SUPERVISORS = {"manager", "admin_user"}


def _login(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _offline_sale(shift, variant, quantity=1, client_id=None):
    return {
        "clientId": str(client_id or uuid.uuid4()),
        "shiftId": shift.pk,
        "offline": True,
        "soldAt": "2026-12-03T10:15:00+07:00",
        "lines": [{"variantId": variant.pk, "quantity": quantity}],
        "payments": [{"method": "cash", "amount": variant.price * quantity, "tendered": 100000}],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_screens_permission_matrix(request, client, role, shift, variant):
    _login(request, client, role)
    urls = {
        reverse("pos:home"): SELLERS,
        reverse("pos:register", args=[shift.pk]): SELLERS,
        reverse("pos:shift-detail", args=[shift.pk]): SELLERS,
        reverse("pos:shift-close", args=[shift.pk]): SELLERS,
        reverse("pos:terminals"): SUPERVISORS,
        reverse("pos:terminal-edit", args=[shift.terminal_id]): SUPERVISORS,
        reverse("pos:api-products", args=[shift.pk]): SELLERS,
    }
    for url, allowed in urls.items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, url
        elif role == "anonymous":
            assert response.status_code in (302, 401), url
        else:
            assert response.status_code == 403, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_writes_permission_matrix(request, client, role, shift, cashier, sell, variant):
    sale = sell((variant, 1))
    _login(request, client, role)
    client.post(reverse("pos:cash-movement", args=[shift.pk]), {"kind": "in", "amount": 1000, "reason": "modal"})
    client.post(reverse("pos:sale-refund", args=[sale.pk]), {"reason": "rusak", f"line_{sale.lines.get().pk}": 1})
    client.post(
        reverse("pos:api-sync"),
        data=json.dumps({"sales": [_offline_sale(shift, variant)]}),
        content_type="application/json",
    )
    client.post(
        reverse("pos:terminal-new", args=[shift.terminal.outlet_id]),
        {"name": "Kasir 2", "code": "K2", "paper_width": 80},
    )
    client.post(reverse("pos:shift-close", args=[shift.pk]), {"d100000": 2, "d10000": 1, "note": "uji hak akses"})
    assert CashMovement.objects.exists() is (role in SELLERS)
    assert Refund.objects.exists() is (role in SUPERVISORS)
    assert (Sale.objects.count() == 2) is (role in SELLERS)
    assert Terminal.objects.filter(code="K2").exists() is (role in SUPERVISORS)
    shift.refresh_from_db()
    assert (shift.status == ShiftStatus.CLOSED) is (role in SELLERS)


@pytest.mark.django_db
def test_offline_sales_sync_exactly_once_even_when_sent_twice(client, cashier, shift, variant):
    from catalog.models import StockMovement

    client.force_login(cashier)
    batch = [_offline_sale(shift, variant, 2), _offline_sale(shift, variant, 1)]
    first = client.post(
        reverse("pos:api-sync"), data=json.dumps({"sales": batch}), content_type="application/json"
    ).json()
    again = client.post(
        reverse("pos:api-sync"), data=json.dumps({"sales": batch}), content_type="application/json"
    ).json()
    assert [r["ok"] for r in first["results"]] == [True, True]
    assert [r["sale"]["id"] for r in first["results"]] == [r["sale"]["id"] for r in again["results"]]
    assert Sale.objects.filter(offline=True).count() == 2
    assert StockMovement.objects.filter(kind="sale").count() == 2
    sale = Sale.objects.get(client_id=batch[0]["clientId"])
    assert sale.sold_at.isoformat().startswith("2026-12-03T03:15")  # the register's time, kept
    assert first["results"][0]["sale"]["change"] == 70000


@pytest.mark.django_db
def test_sync_reports_each_bad_sale_and_keeps_the_good_ones(client, cashier, shift, variant):
    client.force_login(cashier)
    bad = _offline_sale(shift, variant)
    bad["payments"][0]["amount"] = 1
    broken = {"clientId": "x"}
    good = _offline_sale(shift, variant)
    body = client.post(
        reverse("pos:api-sync"), data=json.dumps({"sales": [bad, broken, good]}), content_type="application/json"
    ).json()
    assert [r["ok"] for r in body["results"]] == [False, False, True]
    assert body["results"][0]["errors"][0]["code"] == "payment_mismatch"
    assert Sale.objects.count() == 1
    assert client.post(reverse("pos:api-sync"), data="nope", content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_sync_needs_login_with_json_answer(client, shift, variant):
    response = client.post(reverse("pos:api-sync"), data=json.dumps({"sales": []}), content_type="application/json")
    assert response.status_code == 401 and response.json()["error"] == "login_required"


@pytest.mark.django_db
def test_register_page_and_product_cache(client, cashier, shift, variant, django_assert_max_num_queries):
    client.force_login(cashier)
    page = client.get(reverse("pos:register", args=[shift.pk])).content.decode()
    assert "pos-config" in page and "pos/pos.js" in page and 'lang="id"' in page
    with django_assert_max_num_queries(12):
        products = client.get(reverse("pos:api-products", args=[shift.pk])).json()["products"]
    row = next(p for p in products if p["id"] == variant.pk)
    assert row["available"] == 10 and row["price"] == 15000 and row["vendor"]
    sw = client.get(reverse("pos:service-worker"))
    assert sw["Content-Type"].startswith("application/javascript") and sw["Service-Worker-Allowed"] == "/kasir/"


@pytest.mark.django_db
def test_open_and_close_through_the_screens(client, cashier, terminal):
    client.force_login(cashier)
    page = client.get(reverse("pos:shift-open", args=[terminal.pk]))
    assert page.status_code == 200
    response = client.post(reverse("pos:shift-open", args=[terminal.pk]), {"opening_cash": "150000"})
    shift = Shift.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("pos:register", args=[shift.pk])
    refused = client.post(reverse("pos:shift-close", args=[shift.pk]), {"d100000": 1})
    assert refused.status_code == 200 and "jelaskan" in refused.content.decode().lower()
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.OPEN
    client.post(reverse("pos:shift-close", args=[shift.pk]), {"d100000": 1, "d50000": 1})
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CLOSED and shift.counted_denominations == {"100000": 1, "50000": 1}
