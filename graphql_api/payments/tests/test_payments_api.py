"""GraphQL: the Payment type, staff queries and the permission-gated paymentCheckStatus."""

import pytest
from graphql_relay import to_global_id

from commerce.payments.models import Payment, PaymentStatusChange
from commerce.payments.services import payment_start_qris

pytestmark = pytest.mark.django_db

CHECK = """
mutation($id: ID!) { paymentCheckStatus(id: $id) {
  payment { midtransOrderId status grossAmount { amount } redirectUrl token qrString expiresAt flagged }
  errors { field code message }
} }
"""


@pytest.fixture
def qris_payment(midtrans_server):
    return payment_start_qris(purpose="pos_sale", reference="POS-GQL-1", gross_amount=25000)


@pytest.fixture
def everyone(db, roles, outlet, admin_user, manager, cashier, officer, curator, owner, other_owner, customer_user):
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


ALLOWED_TO_CHECK = {"regency_admin", "outlet_manager", "cashier"}


def test_payment_check_status_permission_matrix(gql, everyone, qris_payment, midtrans_server):
    midtrans_server.set_status(qris_payment.midtrans_order_id, "settlement")
    global_id = to_global_id("Payment", qris_payment.pk)
    for who, user in everyone.items():
        Payment.objects.filter(pk=qris_payment.pk).update(status="pending", paid_at=None)
        PaymentStatusChange.objects.filter(payment=qris_payment, to_status="paid").delete()
        status_requests = len(midtrans_server.requests_to("GET", "/status"))
        result = gql(CHECK, {"id": global_id}, user=user)
        assert "errors" not in result, result
        data = result["data"]["paymentCheckStatus"]
        qris_payment.refresh_from_db()
        if who in ALLOWED_TO_CHECK:
            assert data["errors"] == [], who
            assert data["payment"]["status"] == "PAID", who
            assert data["payment"]["grossAmount"] == {"amount": 25000}
            assert data["payment"]["qrString"] == qris_payment.qr_string
            assert qris_payment.status == "paid"
        else:
            assert data["errors"][0]["code"] == "PERMISSION_DENIED", who
            assert data["payment"] is None
            assert qris_payment.status == "pending", who
            assert len(midtrans_server.requests_to("GET", "/status")) == status_requests, who


def test_payment_check_status_unknown_id_and_gateway_down(gql, cashier, qris_payment, midtrans_server):
    data = gql(CHECK, {"id": to_global_id("Payment", 999999)}, user=cashier)["data"]["paymentCheckStatus"]
    assert data["errors"][0]["code"] == "NOT_FOUND"
    midtrans_server.fail_next(status=503, times=3)
    data = gql(CHECK, {"id": to_global_id("Payment", qris_payment.pk)}, user=cashier)["data"]["paymentCheckStatus"]
    assert data["errors"][0]["code"] == "GATEWAY_UNAVAILABLE"
    assert "Midtrans" in data["errors"][0]["message"]


PAYMENTS = """
query($flagged: Boolean) { payments(first: 10, flagged: $flagged) { totalCount edges { node {
  id midtransOrderId status method purpose grossAmount { amount formatted } flagged flagReason
} } } }
"""


def test_payments_query_for_staff_only_with_constant_queries(
    gql, everyone, midtrans_server, django_assert_max_num_queries
):
    for n in range(3):
        payment_start_qris(purpose="pos_sale", reference=f"POS-{n}", gross_amount=1000 * (n + 1))
    from accounts.services.tokens import token_create_for_user

    token = token_create_for_user(user=everyone["regency_admin"])
    with django_assert_max_num_queries(7) as captured:
        result = gql(PAYMENTS, token=token)
    assert result["data"]["payments"]["totalCount"] == 3
    three = len(captured.captured_queries)
    for n in range(3, 8):
        payment_start_qris(purpose="pos_sale", reference=f"POS-{n}", gross_amount=1000 * (n + 1))
    with django_assert_max_num_queries(three):
        assert gql(PAYMENTS, token=token)["data"]["payments"]["totalCount"] == 8
    assert result["data"]["payments"]["edges"][0]["node"]["grossAmount"] == {"amount": 3000, "formatted": "Rp3.000"}
    for who in ("anonymous", "customer", "curator", "umkm_owner", "service_officer"):
        result = gql(PAYMENTS, user=everyone[who])
        assert result["data"]["payments"] is None, who
        assert result["errors"], who


def test_node_query_hides_payments_from_shoppers(gql, customer_user, admin_user, qris_payment):
    query = "query($id: ID!) { node(id: $id) { ... on Payment { midtransOrderId } } }"
    global_id = to_global_id("Payment", qris_payment.pk)
    assert gql(query, {"id": global_id}, user=customer_user)["data"]["node"] is None
    assert gql(query, {"id": global_id})["data"]["node"] is None
    assert gql(query, {"id": global_id}, user=admin_user)["data"]["node"] == {
        "midtransOrderId": qris_payment.midtrans_order_id
    }


def test_flag_resolve_mutation(gql, everyone, qris_payment):
    Payment.objects.filter(pk=qris_payment.pk).update(flagged=True, flag_reason="duplicate_payment")
    mutation = "mutation($id: ID!, $note: String!) { paymentFlagResolve(id: $id, note: $note) { payment { flagged } errors { code } } }"
    global_id = to_global_id("Payment", qris_payment.pk)
    for who, user in everyone.items():
        if who == "regency_admin":
            continue
        data = gql(mutation, {"id": global_id, "note": "x"}, user=user)["data"]["paymentFlagResolve"]
        assert data["errors"][0]["code"] == "PERMISSION_DENIED", who
    qris_payment.refresh_from_db()
    assert qris_payment.flag_resolved_at is None
    data = gql(mutation, {"id": global_id, "note": " "}, user=everyone["regency_admin"])["data"]["paymentFlagResolve"]
    assert data["errors"][0]["code"] == "INVALID"
    data = gql(mutation, {"id": global_id, "note": "Refunded by bank transfer"}, user=everyone["regency_admin"])[
        "data"
    ]["paymentFlagResolve"]
    assert data["errors"] == []
    qris_payment.refresh_from_db()
    assert qris_payment.flag_resolution_note == "Refunded by bank transfer"
