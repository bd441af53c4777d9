"""Staff pages: flagged payments, resolve, check status; the payment status page; Indonesian first."""

import pytest
from django.urls import reverse

from commerce.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(roles, outlet, admin_user, manager, cashier, officer, curator, owner, other_owner, customer_user):
    return {
        "anonymous": None,
        "customer": customer_user,
        "regency_admin": admin_user,
        "outlet_manager": manager,
        "cashier": cashier,
        "service_officer": officer,
        "curator": curator,
        "umkm_owner": owner,
        "other_umkm_owner": other_owner,
    }


@pytest.fixture
def flagged_payment(start_qris):
    payment = start_qris(reference="POS-FLAG")
    Payment.objects.filter(pk=payment.pk).update(
        flagged=True, flag_reason="duplicate_payment", flag_detail="POS-FLAG was already paid"
    )
    return payment


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def test_flagged_list_permission_matrix(client, everyone, flagged_payment):
    for who, user in everyone.items():
        response = _as(client, user).get(reverse("payments:flagged"))
        if who == "regency_admin":
            assert response.status_code == 200
            body = response.content.decode()
            assert flagged_payment.midtrans_order_id in body
            assert "Pembayaran kedua untuk pesanan atau penjualan yang sama" in body  # Indonesian by default
            assert "Pembayaran Bermasalah" in body
        else:
            assert response.status_code == 403, who


def test_resolve_permission_matrix_and_refusal_changes_nothing(client, everyone, flagged_payment):
    url = reverse("payments:flagged-resolve", args=[flagged_payment.pk])
    for who, user in everyone.items():
        if who == "regency_admin":
            continue
        assert _as(client, user).post(url, {"note": "done"}).status_code == 403, who
        flagged_payment.refresh_from_db()
        assert flagged_payment.flag_resolved_at is None
    admin = _as(client, everyone["regency_admin"])
    admin.post(url, {"note": ""})
    flagged_payment.refresh_from_db()
    assert flagged_payment.flag_resolved_at is None
    response = admin.post(url, {"note": "Dana dikembalikan lewat Midtrans"}, follow=True)
    flagged_payment.refresh_from_db()
    assert flagged_payment.flag_resolved_by == everyone["regency_admin"]
    assert "Tidak ada pembayaran bermasalah." in response.content.decode()
    resolved = admin.get(reverse("payments:flagged") + "?resolved=1").content.decode()
    assert flagged_payment.midtrans_order_id in resolved and "Dana dikembalikan lewat Midtrans" in resolved


def test_check_status_view_permission_matrix(client, everyone, flagged_payment, midtrans_server):
    url = reverse("payments:check-status", args=[flagged_payment.pk])
    midtrans_server.set_status(flagged_payment.midtrans_order_id, "settlement")
    allowed = {"regency_admin", "outlet_manager", "cashier"}
    for who, user in everyone.items():
        Payment.objects.filter(pk=flagged_payment.pk).update(status="pending", paid_at=None)
        before = len(midtrans_server.requests_to("GET", "/status"))
        response = _as(client, user).post(url)
        flagged_payment.refresh_from_db()
        if who in allowed:
            assert response.status_code == 302, who
            assert flagged_payment.status == "paid", who
        else:
            assert response.status_code == 403, who
            assert flagged_payment.status == "pending", who
            assert len(midtrans_server.requests_to("GET", "/status")) == before


def test_check_status_view_reports_gateway_errors(client, admin_user, flagged_payment, midtrans_server):
    midtrans_server.fail_next(status=503, times=3)
    response = _as(client, admin_user).post(reverse("payments:check-status", args=[flagged_payment.pk]), follow=True)
    assert "Midtrans" in response.content.decode()
    flagged_payment.refresh_from_db()
    assert flagged_payment.status == "pending"


def test_payment_status_page_shows_no_personal_data(client, start_snap):
    payment = start_snap(customer_name="Siti Aminah", phone="+6281234500001", email="siti@example.com")
    response = client.get(reverse("payments:status", args=[payment.midtrans_order_id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Rp145.000" in body and "Menunggu Pembayaran" in body
    assert "Siti" not in body and "6281234500001" not in body
    assert client.get(reverse("payments:status", args=["GML-O-NOPE-00000000"])).status_code == 404


def test_flagged_menu_entry_only_for_reviewers(client, admin_user, cashier):
    assert reverse("payments:flagged") in _as(client, admin_user).get("/").content.decode()
    assert reverse("payments:flagged") not in _as(client, cashier).get("/").content.decode()


def test_english_is_the_second_language(client, admin_user, flagged_payment):
    _as(client, admin_user).post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("payments:flagged")).content.decode()
    assert "Second payment for the same order or sale" in body


def test_deploy_check_warns_when_the_simulator_runs_in_production(settings):
    from commerce.payments.checks import midtrans_simulator_in_production

    settings.IS_PRODUCTION = True
    settings.MIDTRANS_SIMULATOR = True
    assert [w.id for w in midtrans_simulator_in_production(None)] == ["payments.W001"]
    settings.MIDTRANS_SIMULATOR = False
    assert midtrans_simulator_in_production(None) == []
